/** `musktracker migrate up|down|status` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { lazy } from "../cli/lazy"

export const migrateDownOptions = {
  to: Options.integer("to").pipe(Options.optional, Options.withDescription("revert every migration above this version (0 = all)"))
}

const up = Command.make("up", {}, () => lazy(() => import("./program"), (m) => m.runUp())).pipe(
  Command.withDescription("Apply every pending migration (each in one transaction; a no-op when up to date).")
)
const down = Command.make("down", migrateDownOptions, (args) => lazy(() => import("./program"), (m) => m.runDown(args))).pipe(
  Command.withDescription("Revert the last migration, or down to --to VERSION. The event log's own migration is never reverted while it holds events.")
)
const status = Command.make("status", {}, () => lazy(() => import("./program"), (m) => m.runStatus())).pipe(
  Command.withDescription("Show applied and pending migrations.")
)

export const migrateCommand = Command.make("migrate").pipe(Command.withDescription("Manage the SQL schema: up, down, status."), Command.withSubcommands([up, down, status]))
