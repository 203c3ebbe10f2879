/**
 * `rebuild NAME`: replay the whole log into fresh tables, then swap them in.
 *
 * Choice: build in a scratch schema, then swap by copy inside ONE short transaction. The alternative,
 * truncate + replay inside one transaction, would hold an exclusive lock on the live tables for the
 * whole replay (readers blocked for as long as it takes) and keep one huge transaction open. Here the
 * replay runs against scratch tables while the live ones stay readable and consistent; then one
 * transaction locks the checkpoint row, truncates the live tables, copies the scratch rows in, and sets
 * the checkpoint to the last replayed position. Readers see the old tables or the new ones, never a
 * mix. The swap copies rows rather than renaming tables so the live tables keep their identity
 * (migration-created definitions, indexes, grants, anything referencing them by OID).
 * Events appended during the replay are not lost: the checkpoint says where the new tables stop, and
 * the next catch-up applies the rest. A projector running concurrently sees its checkpoint moved and
 * re-reads it (see runtime.ts).
 */
import { Effect } from "effect"
import { sql } from "kysely"
import { EventStore } from "../domain/ports/event-store"
import { SqlDatabase } from "../adapters/sql/database"
import { oneLine } from "../adapters/sql/errors"
import { accountCondition, holdsAccountRows } from "./account-scope"
import { CheckpointMoved, lockCheckpoint, readCheckpoints, setCheckpoint } from "./checkpoints"
import { ProjectionConflict, ProjectionSetupError, ProjectionWriteError } from "./errors"
import type { Projection } from "./projection"
import { drive, prepareMembers, Target, type RunOptions } from "./runtime"
import { truncateScratch, withScratchSchema } from "./scratch"
import { qualify, quoteIdent } from "./sql-writer"

export interface RebuildResult {
  readonly projection: string
  /** Events replayed. */
  readonly events: number
  /** The checkpoint after the swap: the last position replayed (0 for an empty log). */
  readonly position: bigint
  readonly tables: ReadonlyArray<{ readonly table: string; readonly rows: number }>
}

export const rebuild = (projection: Projection, options: Pick<RunOptions, "batchSize"> = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const store = yield* EventStore
    return yield* withScratchSchema(db, describe, "rebuild", projection.name, projection.tables, (schema) =>
      Effect.gen(function* () {
        const target = Target.schema(schema)
        const members = yield* prepareMembers(db, describe, [projection], target)
        const { events } = yield* drive({ db, describe, store, target }, members, options)
        const position = members[0]!.position
        const shapes = members[0]!.shapes
        const tables = yield* Effect.tryPromise({
          try: () =>
            db.transaction().execute(async (trx) => {
              await sql`insert into projection_checkpoints (name) values (${projection.name}) on conflict (name) do nothing`.execute(trx)
              await sql`select position from projection_checkpoints where name = ${projection.name} for update`.execute(trx)
              await sql.raw(`truncate ${projection.tables.map((t) => qualify(undefined, t)).join(", ")}`).execute(trx)
              const out: Array<{ table: string; rows: number }> = []
              for (const shape of shapes) {
                const cols = shape.columns.map(quoteIdent).join(", ")
                await sql.raw(`insert into ${qualify(undefined, shape.name)} (${cols}) select ${cols} from ${qualify(schema, shape.name)}`).execute(trx)
                const n = await sql<{ n: string }>`select count(*)::text as n from ${sql.raw(qualify(undefined, shape.name))}`.execute(trx)
                out.push({ table: shape.name, rows: Number(n.rows[0]!.n) })
              }
              await setCheckpoint(trx, projection.name, position)
              return out
            }),
          catch: (cause) =>
            new ProjectionWriteError({
              projections: [projection.name],
              after: 0n,
              through: position,
              target: describe,
              reason: `swap failed, live tables unchanged: ${oneLine(cause)}`,
              cause
            })
        })
        yield* Effect.logInfo(`rebuilt ${projection.name} from ${events} events (checkpoint ${position})`)
        return { projection: projection.name, events, position, tables } satisfies RebuildResult
      })
    )
  })

/**
 * `rebuild NAME --account A`: replaces only the account's rows. The log is replayed into scratch
 * tables up to exactly the live checkpoint, so the new rows stand where every other row does; then one
 * transaction (with the checkpoint row locked and still where the replay stopped) deletes the account's
 * live rows and copies its replayed ones in. Shared tables (rows of no single account) are left alone.
 */
export const rebuildAccount = (projection: Projection, account: string, options: Pick<RunOptions, "batchSize"> = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const store = yield* EventStore
    const query = <A>(f: () => Promise<A>) =>
      Effect.tryPromise({ try: f, catch: (cause) => new ProjectionSetupError({ target: describe, reason: oneLine(cause), cause }) })
    return yield* withScratchSchema(db, describe, "rebuild", projection.name, projection.tables, (schema) =>
      Effect.gen(function* () {
        const members = yield* prepareMembers(db, describe, [projection], Target.schema(schema))
        const shapes = members[0]!.shapes
        if (!holdsAccountRows(shapes))
          return yield* new ProjectionSetupError({ target: describe, reason: `projection ${projection.name} holds no rows of one account: rebuild it whole` })
        // Parents (tables with an account column) are copied in first and deleted last.
        const ordered = [...shapes].sort((a, b) => Number(b.columns.includes("account")) - Number(a.columns.includes("account")))
        let events = 0
        for (let attempt = 0; attempt < 5; attempt++) {
          const at = (yield* query(() => readCheckpoints(db, [projection.name]))).get(projection.name) ?? 0n
          if (at < members[0]!.position) {
            yield* query(() => truncateScratch(db, schema, projection.tables))
            members[0]!.position = 0n
          }
          events += (yield* drive({ db, describe, store, target: Target.schema(schema) }, members, { ...options, until: at })).events
          members[0]!.position = at
          const tables = yield* Effect.tryPromise({
            try: () =>
              db.transaction().execute(async (trx) => {
                try {
                  await lockCheckpoint(trx, projection.name, at)
                } catch (e) {
                  // A projector moved the checkpoint since the replay stopped: replay again.
                  if (e instanceof CheckpointMoved) return undefined
                  throw e
                }
                for (const shape of [...ordered].reverse()) {
                  const where = accountCondition(shape, undefined, account, "x")
                  if (where !== undefined) await sql.raw(`delete from ${qualify(undefined, shape.name)} x where ${where}`).execute(trx)
                }
                const out: Array<{ table: string; rows: number }> = []
                for (const shape of ordered) {
                  const where = accountCondition(shape, schema, account, "x")
                  if (where === undefined) continue
                  const cols = shape.columns.map(quoteIdent).join(", ")
                  const r = await sql.raw(`insert into ${qualify(undefined, shape.name)} (${cols}) select ${shape.columns.map((c) => `x.${quoteIdent(c)}`).join(", ")} from ${qualify(schema, shape.name)} x where ${where}`).execute(trx)
                  out.push({ table: shape.name, rows: Number(r.numAffectedRows ?? 0n) })
                }
                return out
              }),
            catch: (cause) =>
              new ProjectionWriteError({ projections: [projection.name], after: 0n, through: at, target: describe, reason: `swap failed, live tables unchanged: ${oneLine(cause)}`, cause })
          })
          if (tables === undefined) continue
          yield* Effect.logInfo(`rebuilt @${account}'s rows of ${projection.name} from ${events} events (checkpoint ${at})`)
          return { projection: projection.name, events, position: at, tables } satisfies RebuildResult
        }
        return yield* new ProjectionConflict({ projection: projection.name, reason: "rebuild --account: the live checkpoint kept moving; run it again when projectors are idle" })
      })
    )
  })
