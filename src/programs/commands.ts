/** Every top-level command, in the order `--help` lists them. */
import { auditCommand } from "./cli/audit"
import { backtestCommand } from "./cli/backtest"
import { countsCommand } from "./cli/counts"
import { demoCommand } from "./cli/demo"
import { enrichCommand } from "./cli/enrich"
import { featuresCommand } from "./cli/features"
import { forecastCommand } from "./cli/forecast"
import { importCommand } from "./cli/import"
import { ingestCommand } from "./cli/ingest"
import { migrateCommand } from "./cli/migrate"
import { projectionsCommand } from "./cli/projections"
import { regimesCommand } from "./cli/regimes"
import { reportCommand } from "./cli/report"
import { statusCommand } from "./cli/status"
import { trainCommand } from "./cli/train"

export const subcommands = [
  demoCommand,
  migrateCommand,
  statusCommand,
  importCommand,
  ingestCommand,
  countsCommand,
  enrichCommand,
  featuresCommand,
  projectionsCommand,
  auditCommand,
  trainCommand,
  backtestCommand,
  regimesCommand,
  forecastCommand,
  reportCommand
] as const
