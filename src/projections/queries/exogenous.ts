/**
 * Reading the exogenous read models (src/projections/exogenous.ts):
 * - `currentExogenousEvents`: the latest state of every curated event (retracted ones on request);
 * - `exogenousKnowledgeLog`: every curation, revision and retraction in log order, decoded with the
 *   event schemas, as the input of the one as-of function (src/domain/features/asof.ts).
 * These read what the projection holds: catch up first to include the latest events.
 */
import { Effect, Either, Schema } from "effect"
import { sql } from "kysely"
import { SqlDatabase } from "../../adapters/sql/database"
import { exogenousSchemas, type ExogenousDomainEvent, type ExogenousKind } from "../../domain/events/exogenous"
import { EXOGENOUS_TABLES } from "../exogenous"
import type { ExogenousEventFields } from "../../domain/exogenous/state"
import { runQuery, jsonValue } from "./run-query"


const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : Date.parse(String(v)))

/** A curated event's current state (ExogenousEventFields) with its revision count and retraction. */
export interface ExogenousEventRow extends ExogenousEventFields {
  readonly revisions: number
  readonly retracted: boolean
  readonly retractionReason: string | null
}


/** Latest state of every curated event (the global ones and `account`'s, when given), ordered by start then id. */
export const currentExogenousEvents = (options: { readonly includeRetracted?: boolean; readonly account?: string } = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const conditions = [
      ...(options.includeRetracted ? [] : [sql`not retracted`]),
      ...(options.account === undefined ? [] : [sql`(account is null or account = ${options.account})`])
    ]
    const r = yield* runQuery(describe, () =>
      sql<Record<string, unknown>>`
        select event_id, name, start_at, end_at, intensity, known_at, kind, tags, account, revisions, retracted, retraction_reason
        from ${sql.table(EXOGENOUS_TABLES.events)}
        ${conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`}
        order by start_at, event_id`.execute(db)
    )
    return r.rows.map(
      (row): ExogenousEventRow => ({
        eventId: String(row.event_id),
        name: String(row.name),
        start: ms(row.start_at),
        end: ms(row.end_at),
        intensity: Number(row.intensity),
        knownAt: ms(row.known_at),
        kind: row.kind as ExogenousKind,
        tags: jsonValue(row.tags) as string[],
        ...(row.account !== null && row.account !== undefined && { account: String(row.account) }),
        revisions: Number(row.revisions),
        retracted: Boolean(row.retracted),
        retractionReason: row.retraction_reason === null ? null : String(row.retraction_reason)
      })
    )
  })

/** The read model holds an exogenous event that does not decode (it was written by a newer or buggy version). */
export class ExogenousLogDecodeError extends Error {
  constructor(
    readonly position: string,
    reason: string
  ) {
    super(`exogenous_event_log at position ${position}: ${reason}`)
  }
}

/** Every exogenous event of the log, in log order. */
export const exogenousKnowledgeLog = Effect.gen(function* () {
  const { db, describe } = yield* SqlDatabase
  const r = yield* runQuery(describe, () =>
    sql<{ position: string; type: string; data: unknown }>`
      select position::text as position, type, data from ${sql.table(EXOGENOUS_TABLES.log)} order by position`.execute(db)
  )
  const out: ExogenousDomainEvent[] = []
  for (const row of r.rows) {
    const schema = exogenousSchemas[row.type as keyof typeof exogenousSchemas] as Schema.Schema<any, any> | undefined
    if (!schema) return yield* Effect.die(new ExogenousLogDecodeError(row.position, `unknown type ${row.type}`))
    const data = Schema.decodeUnknownEither(schema)(jsonValue(row.data))
    if (Either.isLeft(data)) return yield* Effect.die(new ExogenousLogDecodeError(row.position, data.left.message.split("\n")[0]!))
    out.push({ type: row.type, data: data.right } as ExogenousDomainEvent)
  }
  return out as ReadonlyArray<ExogenousDomainEvent>
})
