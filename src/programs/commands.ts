/** Every top-level command, in the order `--help` lists them. */
import { migrateCommand } from "./migrate"

export const subcommands = [migrateCommand] as const
