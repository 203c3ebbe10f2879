/** `musktracker migrate up|down|status`: the versioned SQL schema (event log, checkpoints, read models). */
import { Console, Effect, Option } from "effect"
import { SqlDatabase } from "../../adapters/sql/database"
import { migrateDown, migrateUp, migrationStatus } from "../../adapters/sql/migrator"
import { toIsoUtc } from "../../domain/time"
import type { CliArgs } from "../cli/lazy"
import type { migrateDownOptions } from "./command"
import { DatabaseOnly } from "../layers"
import { UsageError } from "../cli/usage-error"

export const runUp = () =>
  Effect.gen(function* () {
    const { describe } = yield* SqlDatabase
    const applied = yield* migrateUp()
    if (applied.length === 0) yield* Console.log(`${describe}: schema is up to date`)
    for (const m of applied) yield* Console.log(`applied ${String(m.version).padStart(4, "0")} ${m.name}`)
  }).pipe(Effect.provide(DatabaseOnly))

export const runDown = ({ to }: CliArgs<typeof migrateDownOptions>) =>
  Effect.gen(function* () {
    if (Option.isSome(to) && to.value < 0) return yield* new UsageError({ message: `--to must be a version of 0 or more (0 reverts every migration), got ${to.value}` })
    const reverted = yield* migrateDown(Option.isSome(to) ? { to: to.value } : {})
    if (reverted.length === 0) yield* Console.log("nothing to revert")
    for (const m of reverted) yield* Console.log(`reverted ${String(m.version).padStart(4, "0")} ${m.name}`)
  }).pipe(Effect.provide(DatabaseOnly))

export const runStatus = () =>
  Effect.gen(function* () {
    const { describe } = yield* SqlDatabase
    const s = yield* migrationStatus()
    yield* Console.log(`database: ${describe}`)
    yield* Console.log(`current version: ${s.current}`)
    for (const a of s.applied) yield* Console.log(`  applied  ${String(a.version).padStart(4, "0")} ${a.name}  ${toIsoUtc(a.appliedAt.getTime())}${a.known ? "" : "  (unknown to this code)"}`)
    for (const p of s.pending) yield* Console.log(`  pending  ${String(p.version).padStart(4, "0")} ${p.name}`)
    if (s.pending.length === 0) yield* Console.log("no pending migrations")
  }).pipe(Effect.provide(DatabaseOnly))
