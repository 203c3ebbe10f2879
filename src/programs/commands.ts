/** Every top-level command, in the order `--help` lists them. */
import { countsCommand } from "./counts"
import { importCommand } from "./import"
import { migrateCommand } from "./migrate"
import { statusCommand } from "./status"

export const subcommands = [migrateCommand, statusCommand, importCommand, countsCommand] as const
