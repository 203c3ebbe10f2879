/**
 * `verify [NAME]`: the audit. Replays the log from zero into a shadow schema, up to exactly the live
 * checkpoint, and diffs the shadow tables against the live ones. The live tables are only read.
 *
 * The diff runs in one REPEATABLE READ transaction that first re-reads the checkpoint: if a projector
 * moved it during the replay, the shadow catches up to the new checkpoint and the diff is retried, so
 * live rows and the checkpoint they are compared at always come from one snapshot. Rows are compared
 * as `to_jsonb(row)` (SQL EXCEPT both ways), then paired by primary key into missing / unexpected /
 * changed rows. `verifyAll` replays once for all projections that stand at the same checkpoint.
 */
import type { Database } from "../adapters/sql/tables"
import { Effect } from "effect"
import { sql, type Kysely } from "kysely"
import { EventStore } from "../domain/ports/event-store"
import { SqlDatabase } from "../adapters/sql/database"
import { oneLine } from "../adapters/sql/errors"
import type { TableShape } from "./buffer"
import { readCheckpoints } from "./checkpoints"
import { ProjectionConflict, ProjectionSetupError } from "./errors"
import type { Projection } from "./projection"
import { drive, prepareMembers, Target, type RunOptions } from "./runtime"
import { truncateScratch, withScratchSchema } from "./scratch"
import { qualify } from "./sql-writer"
import { accountCondition } from "./account-scope"

export type JsonRow = Readonly<Record<string, unknown>>

export interface TableDiff {
  readonly table: string
  readonly primaryKey: ReadonlyArray<string>
  readonly liveRows: number
  readonly rebuiltRows: number
  /** Rows a replay produces that the live table lacks. */
  readonly missing: ReadonlyArray<JsonRow>
  /** Live rows a replay does not produce. */
  readonly unexpected: ReadonlyArray<JsonRow>
  /** Same key, different values. */
  readonly changed: ReadonlyArray<{ readonly live: JsonRow; readonly rebuilt: JsonRow }>
}

export interface VerifyReport {
  readonly projection: string
  /** The live checkpoint compared at (every event up to it was replayed). */
  readonly position: bigint
  readonly events: number
  readonly tables: ReadonlyArray<TableDiff>
  /** Total of missing + unexpected + changed rows over all tables. */
  readonly differences: number
}

const MAX_ATTEMPTS = 5

const keyOf = (row: JsonRow, pk: ReadonlyArray<string>): string => JSON.stringify(pk.map((c) => row[c] ?? null))

/** Rows of `table` (aliased `alias`) that `where` selects: all of them without one. */
interface Side {
  readonly table: string
  readonly where: string | undefined
}

const from = (side: Side, alias: string): string => `${side.table} ${alias}${side.where === undefined ? "" : ` where ${side.where}`}`

const countRows = async (db: Kysely<Database>, side: Side): Promise<number> => {
  const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.raw(from(side, "x"))}`.execute(db)
  return Number(r.rows[0]!.n)
}

const only = async (db: Kysely<Database>, a: Side, b: Side): Promise<JsonRow[]> => {
  const r = await sql<{ r: JsonRow | string }>`
    select to_jsonb(x) as r from ${sql.raw(from(a, "x"))}
    except
    select to_jsonb(x) from ${sql.raw(from(b, "x"))}`.execute(db)
  return r.rows.map((row) => (typeof row.r === "string" ? (JSON.parse(row.r) as JsonRow) : row.r))
}

/** Live against shadow rows of one table; with `account`, only that account's rows (shared tables whole). */
export const diffTable = async (db: Kysely<Database>, shape: TableShape, shadowSchema: string, account?: string): Promise<TableDiff> => {
  const live: Side = { table: qualify(undefined, shape.name), where: account === undefined ? undefined : accountCondition(shape, undefined, account, "x") }
  const shadow: Side = { table: qualify(shadowSchema, shape.name), where: account === undefined ? undefined : accountCondition(shape, shadowSchema, account, "x") }
  const liveOnly = await only(db, live, shadow)
  const shadowOnly = await only(db, shadow, live)
  const shadowByKey = new Map(shadowOnly.map((r) => [keyOf(r, shape.primaryKey), r]))
  const changed: Array<{ live: JsonRow; rebuilt: JsonRow }> = []
  const unexpected: JsonRow[] = []
  for (const row of liveOnly) {
    const k = keyOf(row, shape.primaryKey)
    const twin = shadowByKey.get(k)
    if (twin) {
      changed.push({ live: row, rebuilt: twin })
      shadowByKey.delete(k)
    } else unexpected.push(row)
  }
  return {
    table: shape.name,
    primaryKey: shape.primaryKey,
    liveRows: await countRows(db, live),
    rebuiltRows: await countRows(db, shadow),
    missing: [...shadowByKey.values()],
    unexpected,
    changed
  }
}

type VerifyError = Effect.Effect.Error<ReturnType<typeof drive>> | ProjectionSetupError | ProjectionConflict
type VerifyContext = EventStore | SqlDatabase

/** What verify compares: every row, or one account's (`account`). */
export type VerifyOptions = Pick<RunOptions, "batchSize"> & { readonly account?: string }

/**
 * Verifies projections whose live checkpoints are equal in ONE replay (one shadow schema holding all
 * their tables). If the checkpoints stop being equal meanwhile, each is verified on its own.
 */
const verifyGroup = (group: ReadonlyArray<Projection>, options: VerifyOptions): Effect.Effect<VerifyReport[], VerifyError, VerifyContext> =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const store = yield* EventStore
    const names = group.map((p) => p.name)
    const tables = group.flatMap((p) => p.tables)
    const label = group.length === 1 ? group[0]!.name : "all"
    return yield* withScratchSchema(db, describe, "verify", label, tables, (schema) =>
      Effect.gen(function* () {
        const target = Target.schema(schema)
        const members = yield* prepareMembers(db, describe, group, target)
        const ctx = { db, describe, store, target }
        const query = <A>(f: () => Promise<A>) =>
          Effect.tryPromise({ try: f, catch: (cause) => new ProjectionSetupError({ target: describe, reason: oneLine(cause), cause }) })
        let events = 0
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const live = yield* query(() => readCheckpoints(db, names))
          const positions = new Set([...live.values()])
          if (positions.size > 1) return yield* verifySeparately(group, options)
          const at = [...positions][0] ?? 0n
          if (members.some((m) => at < m.position)) {
            // The live checkpoint went back (a rebuild swapped in during the replay): start over.
            yield* query(() => truncateScratch(db, schema, tables))
            for (const m of members) m.position = 0n
            events = 0
          }
          events += (yield* drive(ctx, members, { ...(options.batchSize !== undefined && { batchSize: options.batchSize }), until: at })).events
          // drive replays every event up to `until`: the shadow now stands at the live checkpoint.
          for (const m of members) m.position = at
          const result = yield* query(() =>
            db
              .transaction()
              .setIsolationLevel("repeatable read")
              .execute(async (trx) => {
                // Timestamps in the printed rows in UTC, whatever the server's TimeZone.
                await sql`set local timezone = 'UTC'`.execute(trx)
                const now = await readCheckpoints(trx, names)
                if (names.some((n) => now.get(n) !== at)) return undefined
                const out = new Map<string, TableDiff[]>()
                for (const m of members) {
                  const diffs: TableDiff[] = []
                  for (const shape of m.shapes) diffs.push(await diffTable(trx, shape, schema, options.account))
                  out.set(m.projection.name, diffs)
                }
                return out
              })
          )
          if (result === undefined) continue
          return group.map((p) => {
            const diffs = result.get(p.name)!
            const differences = diffs.reduce((n, t) => n + t.missing.length + t.unexpected.length + t.changed.length, 0)
            return { projection: p.name, position: at, events, tables: diffs, differences } satisfies VerifyReport
          })
        }
        return yield* new ProjectionConflict({
          projection: names.join(", "),
          reason: `verify: the live checkpoint kept moving during ${MAX_ATTEMPTS} attempts; run it again when projectors are idle`
        })
      })
    )
  })

const verifySeparately = (group: ReadonlyArray<Projection>, options: VerifyOptions): Effect.Effect<VerifyReport[], VerifyError, VerifyContext> =>
  group.length === 1
    ? new ProjectionConflict({ projection: group[0]!.name, reason: "verify: inconsistent checkpoint reading" })
    : Effect.map(
        Effect.forEach(group, (p) => verifyGroup([p], options)),
        (rs) => rs.flat()
      )

/** Verifies one projection: replays the log up to its live checkpoint into a shadow schema and diffs. */
export const verify = (projection: Projection, options: VerifyOptions = {}) =>
  Effect.map(verifyGroup([projection], options), (reports) => reports[0]!)

/**
 * Verifies several projections, replaying the log once per distinct live checkpoint (after a catch-up
 * all checkpoints are equal: one replay for all). Reports come back in the order given.
 */
export const verifyAll = (projections: ReadonlyArray<Projection>, options: VerifyOptions = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const live = yield* Effect.tryPromise({
      try: () => readCheckpoints(db, projections.map((p) => p.name)),
      catch: (cause) => new ProjectionSetupError({ target: describe, reason: oneLine(cause), cause })
    })
    const groups = new Map<bigint, Projection[]>()
    for (const p of projections) {
      const at = live.get(p.name) ?? 0n
      groups.set(at, [...(groups.get(at) ?? []), p])
    }
    const reports = new Map<string, VerifyReport>()
    for (const group of groups.values()) for (const r of yield* verifyGroup(group, options)) reports.set(r.projection, r)
    return projections.map((p) => reports.get(p.name)!)
  })
