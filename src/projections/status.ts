/** `projections status`: each projection's checkpoint and lag (events in the log after it). */
import { Effect, Stream } from "effect"
import { sql } from "kysely"
import { EventStore } from "../domain/ports/event-store"
import { SqlDatabase } from "../adapters/sql/database"
import { oneLine } from "../adapters/sql/errors"
import { ProjectionSetupError } from "./errors"
import type { Projection } from "./projection"

export interface ProjectionStatus {
  readonly name: string
  /** Position of the last event applied (0: none). */
  readonly checkpoint: bigint
  /** Events in the log after the checkpoint. */
  readonly lag: number
  /** When the checkpoint last moved (undefined: never run). */
  readonly updatedAt: Date | undefined
}

export interface StatusReport {
  readonly store: string
  readonly database: string
  readonly events: number
  readonly lastPosition: bigint | undefined
  readonly projections: ReadonlyArray<ProjectionStatus>
}

/**
 * Reads only. Lag is counted through the EventStore port (positions need not be contiguous, e.g. on
 * EventStoreDB): a projection at 0 lags by the event count; others by one pass over the log from the
 * lowest such checkpoint.
 */
export const projectionStatus = (projections: ReadonlyArray<Projection>) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const store = yield* EventStore
    const names = projections.map((p) => p.name)
    const rows = yield* Effect.tryPromise({
      try: async () =>
        names.length === 0
          ? []
          : (
              await sql<{ name: string; position: string; updated_at: Date | string }>`
                select name, position::text as position, updated_at from projection_checkpoints
                where name in (${sql.join(names)})`.execute(db)
            ).rows,
      catch: (cause) => {
        const reason = oneLine(cause)
        return new ProjectionSetupError({
          target: describe,
          reason: /does not exist/.test(reason) ? `${reason} (run \`musktracker migrate up\`)` : reason,
          cause
        })
      }
    })
    const byName = new Map(rows.map((r) => [r.name, r]))
    const events = yield* store.count
    const lastPosition = yield* store.lastPosition
    const checkpoints = names.map((name) => {
      const r = byName.get(name)
      return { name, checkpoint: r ? BigInt(r.position) : 0n, updatedAt: r ? new Date(r.updated_at) : undefined }
    })
    const last = lastPosition ?? 0n
    const lags = new Map<string, number>()
    const counting = checkpoints.filter((c) => c.checkpoint > 0n && c.checkpoint < last)
    for (const c of checkpoints) lags.set(c.name, c.checkpoint >= last ? 0 : c.checkpoint === 0n ? events : 0)
    if (counting.length > 0) {
      const from = counting.reduce((m, c) => (c.checkpoint < m ? c.checkpoint : m), counting[0]!.checkpoint)
      yield* store.readAll({ after: from, batchSize: 5_000 }).pipe(
        Stream.runForEachChunk((chunk) =>
          Effect.sync(() => {
            for (const e of chunk) for (const c of counting) if (e.position > c.checkpoint) lags.set(c.name, lags.get(c.name)! + 1)
          })
        )
      )
    }
    return {
      store: store.describe,
      database: describe,
      events,
      lastPosition,
      projections: checkpoints.map((c) => ({ ...c, lag: lags.get(c.name)! }))
    } satisfies StatusReport
  })
