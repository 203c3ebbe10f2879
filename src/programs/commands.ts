/** Every top-level command, in the order `--help` lists them. */
import { backtestCommand } from "./backtest"
import { countsCommand } from "./counts"
import { demoCommand } from "./demo/command"
import { enrichCommand } from "./enrich"
import { featuresCommand } from "./features"
import { forecastCommand } from "./forecast/command"
import { importCommand } from "./import"
import { ingestCommand } from "./ingest/command"
import { migrateCommand } from "./migrate"
import { projectionsCommand } from "./projections"
import { regimesCommand } from "./regimes"
import { reportCommand } from "./report/command"
import { statusCommand } from "./status"
import { trainCommand } from "./train/command"

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
  trainCommand,
  backtestCommand,
  regimesCommand,
  forecastCommand,
  reportCommand
] as const
