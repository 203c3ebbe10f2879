/** Every top-level command, in the order `--help` lists them. */
import { countsCommand } from "./counts"
import { enrichCommand } from "./enrich"
import { featuresCommand } from "./features"
import { forecastCommand } from "./forecast/command"
import { importCommand } from "./import"
import { ingestCommand } from "./ingest/command"
import { migrateCommand } from "./migrate"
import { projectionsCommand } from "./projections"
import { reportCommand } from "./report/command"
import { statusCommand } from "./status"
import { trainCommand } from "./train/command"

export const subcommands = [
  migrateCommand,
  statusCommand,
  importCommand,
  ingestCommand,
  countsCommand,
  enrichCommand,
  featuresCommand,
  projectionsCommand,
  trainCommand,
  forecastCommand,
  reportCommand
] as const
