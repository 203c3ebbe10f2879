/** Every top-level command, in the order `--help` lists them. */
import { countsCommand } from "./counts"
import { importCommand } from "./import"
import { migrateCommand } from "./migrate"
import { statusCommand } from "./status"
import { trainCommand } from "./train/command"

export const subcommands = [migrateCommand, statusCommand, importCommand, countsCommand, trainCommand] as const
