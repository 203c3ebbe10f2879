/** Every top-level command, in the order `--help` lists them. */
import { accountsCommand } from "./accounts/command"
import { auditCommand } from "./audit/command"
import { backtestCommand } from "./backtest/command"
import { countsCommand } from "./counts/command"
import { demoCommand } from "./demo/command"
import { enrichCommand } from "./enrich/command"
import { featuresCommand } from "./features/command"
import { forecastCommand } from "./forecast/command"
import { importCommand } from "./import/command"
import { ingestCommand } from "./ingest/command"
import { migrateCommand } from "./migrate/command"
import { projectionsCommand } from "./projections/command"
import { regimesCommand } from "./regimes/command"
import { reportCommand } from "./report/command"
import { serveCommand } from "./serve/command"
import { statusCommand } from "./status/command"
import { trainCommand } from "./train/command"

export const subcommands = [
  demoCommand,
  migrateCommand,
  statusCommand,
  importCommand,
  ingestCommand,
  accountsCommand,
  countsCommand,
  enrichCommand,
  featuresCommand,
  projectionsCommand,
  auditCommand,
  trainCommand,
  backtestCommand,
  regimesCommand,
  forecastCommand,
  reportCommand,
  serveCommand
] as const
