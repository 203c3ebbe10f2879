/**
 * Replays the event log (up to a watermark) into the as-of `Knowledge` the models see for one account:
 * its tweets' creation instants of the counted kinds, every curated exogenous event in log order, and
 * its detected regime starts.
 * Training, backtests, forecasts and `forecast reproduce` all read history this way — from the log,
 * not from read models — so a forecast can be recomputed exactly from its watermark.
 */
import { exogenousForAccount } from "../domain/exogenous/scope"
import { Effect, Stream } from "effect"
import { decodeCatalogEvent } from "../domain/events/catalog"
import type { ExogenousDomainEvent } from "../domain/events/exogenous"
import type { TweetKind } from "../domain/events/tweet"
import { EventStore } from "../domain/ports/event-store"
import { makeKnowledge, type Knowledge } from "../domain/features/asof"
import type { RegimeStart } from "../domain/features/matrix"
import { parseInstant } from "../domain/time"

/** Kinds of tweets a count includes. */
export type CountKind = TweetKind

export interface LoadedKnowledge {
  readonly knowledge: Knowledge
  /** Last global position read (0n for an empty log). */
  readonly watermark: bigint
  readonly tweets: number
  /** Creation instant of the newest counted tweet (undefined when none). */
  readonly lastTweetAt: number | undefined
}

export const loadKnowledge = (options: {
  readonly until?: bigint
  readonly kinds: ReadonlyArray<CountKind>
  /** The account whose tweets and regime shifts are read (normalised: lower case, no `@`). */
  readonly account: string
}) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const until = options.until ?? (yield* store.lastPosition) ?? 0n
    const kinds = new Set<string>(options.kinds)
    const times: number[] = []
    const exogenous: ExogenousDomainEvent[] = []
    const regimes: RegimeStart[] = []
    let watermark = 0n
    yield* store.readAll({ batchSize: 10_000 }).pipe(
      Stream.takeWhile((e) => e.position <= until),
      Stream.runForEach((recorded) =>
        Effect.flatMap(decodeCatalogEvent(recorded), (e) =>
          Effect.sync(() => {
            watermark = recorded.position
            switch (e.type) {
              case "TweetObserved":
                if (kinds.has(e.data.kind) && e.data.account === options.account)
                  times.push(parseInstant(e.data.createdAt)!)
                break
              case "ExogenousEventCurated":
              case "ExogenousEventRevised":
              case "ExogenousEventRetracted":
                exogenous.push({ type: e.type, data: e.data } as ExogenousDomainEvent)
                break
              case "RegimeShiftDetected":
                // The BOCPD detector is the one models use; the rolling-variance one is a cross-check.
                if (e.data.detector === "bocpd" && e.data.account === options.account)
                  regimes.push({ at: parseInstant(e.data.at)!, regimeId: `${e.data.detector}:${e.data.at}`, knownAt: parseInstant(e.data.detectedAt)! })
                break
              default:
                break
            }
          })
        )
      )
    )
    const knowledge = makeKnowledge({ tweetTimes: times, exogenous: exogenousForAccount(exogenous, options.account), regimes })
    const t = knowledge.tweetTimes
    return { knowledge, watermark, tweets: t.length, lastTweetAt: t.length > 0 ? t[t.length - 1] : undefined } satisfies LoadedKnowledge
  })
