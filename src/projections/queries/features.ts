/**
 * The `features` read model, computed on demand (see docs/features.md for why it is not materialised):
 * tweet instants from the `tweets` read model and curated events from `exogenous_event_log`, put through
 * the one as-of function (src/domain/features/asof.ts) at the requested cutoff. The result is therefore
 * the same matrix training, backtests and forecasts see at that cutoff.
 *
 * The record is taken as complete from the hour of the first tweet to the end of the hour of the last
 * one; hours after that are unknown (NaN history features), not zero.
 */
import { Effect } from "effect"
import { sql } from "kysely"
import { SqlDatabase, SqlError } from "../../adapters/sql/database"
import { oneLine } from "../../adapters/sql/errors"
import { featuresAsOf, makeKnowledge } from "../../domain/features/asof"
import type { FeatureMatrix, RegimeStart } from "../../domain/features/matrix"
import { specLookbackHours, type FeatureSpec } from "../../domain/features/spec"
import { HOUR_MS, hourFloor } from "../../domain/time"
import { TWEETS_TABLE } from "../tweets"
import { tweetInstants } from "./counts"
import { exogenousKnowledgeLog } from "./exogenous"

export interface FeaturesQuery {
  /** First row's hour (epoch ms on a UTC hour). */
  readonly from: number
  /** End of the rows (exclusive, on a UTC hour). */
  readonly to: number
  readonly spec: FeatureSpec
  /** Knowledge cutoff (epoch ms): what was public strictly before it. */
  readonly cutoff: number
  /** Regime starts, when a regime read model provides them (filtered as of the cutoff). */
  readonly regimes?: ReadonlyArray<RegimeStart>
}

/** First and last tweet instants of the whole record, or undefined when there is no tweet. */
export const tweetRecordSpan = Effect.gen(function* () {
  const { db, describe } = yield* SqlDatabase
  const r = yield* Effect.tryPromise({
    try: () =>
      sql<{ lo: number | string | null; hi: number | string | null }>`
        select (extract(epoch from min(created_at)) * 1000)::float8 as lo, (extract(epoch from max(created_at)) * 1000)::float8 as hi
        from ${sql.table(TWEETS_TABLE)}`.execute(db),
    catch: (cause) => new SqlError({ target: describe, reason: oneLine(cause), cause })
  })
  const row = r.rows[0]
  return row?.lo == null || row.hi == null ? undefined : { first: Number(row.lo), last: Number(row.hi) }
})

/** Feature rows for [from, to) as known at the cutoff, from the read models. */
export const featuresFromReadModels = (q: FeaturesQuery) =>
  Effect.gen(function* () {
    const span = yield* tweetRecordSpan
    const lookbackFrom = q.from - specLookbackHours(q.spec) * HOUR_MS
    // Only the tweets the rows can use: from the earliest lag to the cutoff (or the last row).
    const tweetTimes = yield* tweetInstants({ from: lookbackFrom, to: Math.min(q.cutoff, q.to) })
    const exogenous = yield* exogenousKnowledgeLog
    const knowledge = makeKnowledge({
      tweetTimes,
      exogenous,
      regimes: q.regimes ?? [],
      ...(span !== undefined && { observedFrom: hourFloor(span.first), observedUntil: hourFloor(span.last) + HOUR_MS })
    })
    const matrix: FeatureMatrix = featuresAsOf(knowledge, q.cutoff, q.spec, q.from, q.to)
    return { matrix, span }
  })
