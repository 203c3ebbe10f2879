/**
 * Runs the versioned schema migrations (./migrations). Each migration runs in ONE transaction together
 * with its schema_migrations row, so a failed migration leaves no trace. Every transaction first takes a
 * transaction-level advisory lock and re-checks what is applied, so concurrent runners (two CLI processes
 * against one PostgreSQL) apply each migration exactly once.
 */
import { Data, Effect, Layer } from "effect"
import { sql, type Kysely } from "kysely"
import { SqlDatabase, SqlError } from "./database"
import { oneLine } from "./errors"
import { migrations as registry, sortMigrations, type Migration } from "./migrations/index"

/** Arbitrary constant shared by every runner: the advisory lock key for schema changes. */
const MIGRATION_LOCK_KEY = 7_246_917_310_001n

export class MigrationError extends Data.TaggedError("MigrationError")<{
  readonly version: number
  readonly name: string
  readonly direction: "up" | "down"
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `migration ${String(this.version).padStart(4, "0")} ${this.name} (${this.direction}) failed and was rolled back: ${this.reason}`
  }
}

/** A revert that would delete recorded events; nothing was reverted. */
export class MigrationRefused extends Data.TaggedError("MigrationRefused")<{
  readonly version: number
  readonly name: string
  readonly events: number
}> {
  override get message(): string {
    return `migrate down: reverting ${String(this.version).padStart(4, "0")} ${this.name} would delete the ${this.events} recorded events, which nothing can rebuild; refused, nothing reverted (revert to version ${this.version} or above, or start over in a new data directory or database)`
  }
}

export interface AppliedMigration {
  readonly version: number
  readonly name: string
  readonly appliedAt: Date
  /** False when the database has a migration this code does not know (applied by newer code). */
  readonly known: boolean
}

export interface MigrationStatus {
  readonly applied: ReadonlyArray<AppliedMigration>
  readonly pending: ReadonlyArray<{ readonly version: number; readonly name: string }>
  /** Highest applied version, 0 when none. */
  readonly current: number
}

// Migrations run against the schema as it was at their version, not as src/adapters/sql/tables.ts types
// it today, so the migrator and the migrations take an untyped handle (as Kysely's docs advise).
const ensureTable = (db: Kysely<any>) =>
  sql`create table if not exists schema_migrations (
        version    integer primary key,
        name       text not null,
        applied_at timestamptz not null default now()
      )`.execute(db)

const lock = (db: Kysely<any>) => sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(db)

/** How many events the SQL log holds (0 when it has no `events` table). */
const recordedEvents = async (db: Kysely<any>): Promise<number> => {
  const exists = await sql<{ t: string | null }>`select to_regclass('events')::text as t`.execute(db)
  if (exists.rows[0]?.t == null) return 0
  const r = await sql<{ n: string | number }>`select count(*) as n from events`.execute(db)
  return Number(r.rows[0]!.n)
}

const isApplied = async (db: Kysely<any>, version: number): Promise<boolean> => {
  const r = await sql<{ n: number }>`select 1 as n from schema_migrations where version = ${version}`.execute(db)
  return r.rows.length > 0
}

const readApplied = async (db: Kysely<any>): Promise<ReadonlyArray<{ version: number; name: string; appliedAt: Date }>> => {
  const exists = await sql<{ t: string | null }>`select to_regclass('schema_migrations')::text as t`.execute(db)
  if (exists.rows[0]?.t == null) return []
  const r = await sql<{ version: number; name: string; applied_at: Date }>`
    select version, name, applied_at from schema_migrations order by version`.execute(db)
  return r.rows.map((row) => ({ version: Number(row.version), name: row.name, appliedAt: new Date(row.applied_at) }))
}

const statusOf = async (db: Kysely<any>, list: ReadonlyArray<Migration>): Promise<MigrationStatus> => {
  const applied = await readApplied(db)
  const appliedVersions = new Set(applied.map((a) => a.version))
  const knownVersions = new Set(list.map((m) => m.version))
  return {
    applied: applied.map((a) => ({ ...a, known: knownVersions.has(a.version) })),
    pending: list.filter((m) => !appliedVersions.has(m.version)).map((m) => ({ version: m.version, name: m.name })),
    current: applied.reduce((max, a) => Math.max(max, a.version), 0)
  }
}

type Failure = MigrationError | SqlError

const run = <A>(target: string, f: () => Promise<A>, onError: (cause: unknown) => Failure): Effect.Effect<A, Failure> =>
  Effect.tryPromise({
    try: f,
    catch: (cause) => (cause instanceof MigrationError || cause instanceof SqlError ? cause : onError(cause))
  }).pipe(Effect.withSpan("migrator", { attributes: { target } }))

const fail = (m: Migration, direction: "up" | "down") => (cause: unknown) =>
  new MigrationError({ version: m.version, name: m.name, direction, reason: oneLine(cause), cause })

/** Applies every pending migration in version order; returns those applied (empty when up to date). */
export const migrateUp = (list: ReadonlyArray<Migration> = registry) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const sorted = yield* Effect.try({
      try: () => sortMigrations(list),
      catch: (e) => new SqlError({ target: describe, reason: oneLine(e) })
    })
    const done: Array<{ version: number; name: string }> = []
    for (const m of sorted) {
      const applied = yield* run(
        describe,
        () =>
          db.transaction().execute(async (trx) => {
            await lock(trx)
            await ensureTable(trx)
            if (await isApplied(trx, m.version)) return false
            await m.up(trx)
            await sql`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`.execute(trx)
            return true
          }),
        fail(m, "up")
      )
      if (applied) done.push({ version: m.version, name: m.name })
    }
    return done as ReadonlyArray<{ version: number; name: string }>
  })

/**
 * Reverts the last applied migration, or, with `to`, every applied migration above version `to`
 * (`to: 0` reverts all). Each in its own transaction, newest first; returns those reverted. A target
 * that deletes events (the event log's own migration) is refused up front, before anything is
 * reverted, while the log holds any: the log is the one fact that no projection can rebuild.
 */
export const migrateDown = (options: { readonly to?: number } = {}, list: ReadonlyArray<Migration> = registry) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const byVersion = new Map(list.map((m) => [m.version, m]))
    const status = yield* run(describe, () => statusOf(db, list), (e) => new SqlError({ target: describe, reason: oneLine(e), cause: e }))
    const newestFirst = [...status.applied].reverse()
    const targets = options.to === undefined ? newestFirst.slice(0, 1) : newestFirst.filter((a) => a.version > options.to!)
    for (const a of targets) {
      const m = byVersion.get(a.version)
      if (m?.deletesEvents !== true) continue
      const events = yield* run(describe, () => recordedEvents(db), (e) => new SqlError({ target: describe, reason: oneLine(e), cause: e }))
      if (events > 0) return yield* new MigrationRefused({ version: m.version, name: m.name, events })
    }
    const done: Array<{ version: number; name: string }> = []
    for (const a of targets) {
      const m = byVersion.get(a.version)
      if (!m)
        return yield* new MigrationError({
          version: a.version,
          name: a.name,
          direction: "down",
          reason: "this code does not know that migration (applied by a newer version?)"
        })
      const reverted = yield* run(
        describe,
        () =>
          db.transaction().execute(async (trx) => {
            await lock(trx)
            if (!(await isApplied(trx, m.version))) return false
            // Checked again under the lock: an append may have landed since the check above.
            if (m.deletesEvents === true && (await recordedEvents(trx)) > 0) throw new Error("events were recorded while reverting: refused")
            await m.down(trx)
            await sql`delete from schema_migrations where version = ${m.version}`.execute(trx)
            return true
          }),
        fail(m, "down")
      )
      if (reverted) done.push({ version: m.version, name: m.name })
    }
    return done as ReadonlyArray<{ version: number; name: string }>
  })

/** Applied migrations (with timestamps) and pending ones. Reads only; creates nothing. */
export const migrationStatus = (list: ReadonlyArray<Migration> = registry) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    return yield* run(describe, () => statusOf(db, sortMigrations(list)), (e) => new SqlError({ target: describe, reason: oneLine(e), cause: e }))
  })

/** `layer` with every pending migration applied when it is built (tests, benchmarks, embedded start-up). */
export const migrated = <E, R>(
  layer: Layer.Layer<SqlDatabase, E, R>,
  list: ReadonlyArray<Migration> = registry
): Layer.Layer<SqlDatabase, E | MigrationError | SqlError, R> =>
  Layer.tap(layer, (context) => Effect.provide(migrateUp(list), context))
