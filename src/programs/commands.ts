/** Every top-level command, in the order `--help` lists them. */
import { importCommand } from "./import"
import { migrateCommand } from "./migrate"

export const subcommands = [migrateCommand, importCommand] as const
