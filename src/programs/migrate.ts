/** `musktracker migrate up|down|status`: the versioned SQL schema (event log, checkpoints, read models). */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { SqlDatabase } from "../adapters/sql/database"
import { migrateDown, migrateUp, migrationStatus } from "../adapters/sql/migrator"
import { toIsoUtc } from "../domain/time"
import { DatabaseOnly } from "./layers"

const up = Command.make("up", {}, () =>
  Effect.gen(function* () {
    const { describe } = yield* SqlDatabase
    const applied = yield* migrateUp()
    if (applied.length === 0) yield* Console.log(`${describe}: schema is up to date`)
    for (const m of applied) yield* Console.log(`applied ${String(m.version).padStart(4, "0")} ${m.name}`)
  }).pipe(Effect.provide(DatabaseOnly))
).pipe(Command.withDescription("Apply every pending migration (each in one transaction; a no-op when up to date)."))

const down = Command.make("down", { to: Options.integer("to").pipe(Options.optional, Options.withDescription("revert every migration above this version (0 = all)")) }, ({ to }) =>
  Effect.gen(function* () {
    const reverted = yield* migrateDown(Option.isSome(to) ? { to: to.value } : {})
    if (reverted.length === 0) yield* Console.log("nothing to revert")
    for (const m of reverted) yield* Console.log(`reverted ${String(m.version).padStart(4, "0")} ${m.name}`)
  }).pipe(Effect.provide(DatabaseOnly))
).pipe(Command.withDescription("Revert the last migration, or down to --to VERSION."))

const status = Command.make("status", {}, () =>
  Effect.gen(function* () {
    const { describe } = yield* SqlDatabase
    const s = yield* migrationStatus()
    yield* Console.log(`database: ${describe}`)
    yield* Console.log(`current version: ${s.current}`)
    for (const a of s.applied) yield* Console.log(`  applied  ${String(a.version).padStart(4, "0")} ${a.name}  ${toIsoUtc(a.appliedAt.getTime())}${a.known ? "" : "  (unknown to this code)"}`)
    for (const p of s.pending) yield* Console.log(`  pending  ${String(p.version).padStart(4, "0")} ${p.name}`)
    if (s.pending.length === 0) yield* Console.log("no pending migrations")
  }).pipe(Effect.provide(DatabaseOnly))
).pipe(Command.withDescription("Show applied and pending migrations."))

export const migrateCommand = Command.make("migrate").pipe(
  Command.withDescription("Manage the SQL schema: up, down, status."),
  Command.withSubcommands([up, down, status])
)
