/**
 * The `features` read model, computed on demand (see docs/features.md for why it is not materialised):
 * tweet instants from the `tweets` read model and curated events from `exogenous_event_log`, put through
 * the one as-of function (src/domain/features/asof.ts) at the requested cutoff. The result is therefore
 * the same matrix training, backtests and forecasts see at that cutoff.
 *
 * The record is taken as complete from the hour of the first tweet to the end of the hour of the last
 * one; hours after that are unknown (NaN history features), not zero.
 */
import { exogenousForAccount } from "../../domain/exogenous/scope"
import { Effect } from "effect"
import { featuresAsOf, makeKnowledge } from "../../domain/features/asof"
import type { FeatureMatrix, RegimeStart } from "../../domain/features/matrix"
import { specLookbackHours, type FeatureSpec } from "../../domain/features/spec"
import { HOUR_MS, hourFloor } from "../../domain/time"
import { dataExtent, tweetInstants } from "./counts"
import { exogenousKnowledgeLog } from "./exogenous"

export interface FeaturesQuery {
  /** The account whose tweets make the rows. */
  readonly account: string
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

/** Feature rows for [from, to) as known at the cutoff, from the read models. */
export const featuresFromReadModels = (q: FeaturesQuery) =>
  Effect.gen(function* () {
    const span = yield* dataExtent(q.account)
    const lookbackFrom = q.from - specLookbackHours(q.spec) * HOUR_MS
    // Only the tweets the rows can use: from the earliest lag to the cutoff (or the last row).
    const tweetTimes = yield* tweetInstants({ account: q.account, from: lookbackFrom, to: Math.min(q.cutoff, q.to) })
    const exogenous = exogenousForAccount(yield* exogenousKnowledgeLog, q.account)
    const knowledge = makeKnowledge({
      tweetTimes,
      exogenous,
      regimes: q.regimes ?? [],
      ...(span !== undefined && { observedFrom: hourFloor(span.first), observedUntil: hourFloor(span.last) + HOUR_MS })
    })
    const matrix: FeatureMatrix = featuresAsOf(knowledge, q.cutoff, q.spec, q.from, q.to)
    return { matrix, span }
  })
