/**
 * `forecast score`: scores every forecast whose window has ended and appends `ForecastScored`.
 *
 * "Ended" means the tweet record covers the whole window: window end <= latestFitOrigin(newest tweet of
 * any kind, now) — the data reach past the window's last hour. The actual is the number of tweets of the
 * forecast's counted kinds created in [start, end) as the log holds them (read models filtered to the
 * watermark recorded in the score). The forecast's distribution is the recorded sample of the remaining
 * total plus the observed part, one value per path; CRPS, log score, randomised PIT (its uniform from
 * the forecast's seed and id, so re-scoring gives the same PIT) and the 50/80/95% central intervals come
 * from src/domain/metrics.
 */
import { Effect } from "effect"
import { codeVersion } from "../../adapters/code-version"
import { deriveSeed } from "../../domain/backtest/seed"
import { decodeCatalogEvent, type CatalogEvent } from "../../domain/events/catalog"
import type { RecordedEvent } from "../../domain/events/envelope"
import { ForecastIssued, ForecastScored, forecastStream, type ForecastIssuedData, type ForecastScoredData } from "../../domain/events/forecast"
import { expandSample } from "../../domain/forecast/sample"
import { scoreWindowTotal } from "../../domain/forecast/score"
import { pitHistogram } from "../../domain/metrics/pit"
import { Rng } from "../../domain/random"
import { ALL_KINDS } from "../../projections/queries/counts"
import { listForecasts, type ForecastRow } from "../../projections/queries/forecasts"
import { forecasterOf } from "../../domain/backtest/derived"
import { catchUpProjections } from "../catch-up"
import { handleCommand } from "../command-handler"
import { latestFitOrigin } from "../../domain/backtest/origins"
import { readModelWatermark, tweetSpan, tweetTimesBetween } from "../../projections/queries/knowledge"
import { parseWindowIso } from "../../domain/forecast/members"

/** The uniform of a forecast's randomised PIT: fixed by its seed and id. */
export const pitUniform = (d: Pick<ForecastIssuedData, "seed" | "forecastId">): number => Rng.seeded(deriveSeed(d.seed, "pit", d.forecastId)).uniform()

/** The score of a forecast given the actual window total (pure). */
export const scoreIssued = (d: ForecastIssuedData, actual: number, watermark: bigint): ForecastScoredData => {
  const totals = expandSample(d.result.sample).map((x) => x + d.result.observed.count)
  const s = scoreWindowTotal(totals, actual, pitUniform(d))
  return {
    forecastId: d.forecastId,
    actual,
    crps: s.crps,
    logScore: s.logScore,
    pit: s.pit,
    inside50: s.inside50,
    inside80: s.inside80,
    inside95: s.inside95,
    watermark: watermark.toString()
  }
}

export interface ScoreRun {
  readonly scored: ReadonlyArray<ForecastScoredData & { readonly model: string; readonly window: ForecastIssuedData["window"] }>
  /** Forecasts still waiting for their window to end. */
  readonly pending: number
  /** The tweet record covers hours up to here (epoch ms), or undefined without tweets. */
  readonly coveredUntil: number | undefined
  readonly all: ReadonlyArray<ForecastRow>
}

/** What scoring needs of a forecast's stream. */
type ForecastFact = { readonly _tag: "Issued"; readonly data: ForecastIssuedData } | { readonly _tag: "Scored"; readonly data: ForecastScoredData }

const forecastFact = (e: CatalogEvent): ForecastFact | undefined =>
  ForecastIssued.is(e) ? { _tag: "Issued", data: e.data } : ForecastScored.is(e) ? { _tag: "Scored", data: e.data } : undefined

/** Scores the account's forecasts whose window the tweet record now covers. */
export const scoreForecasts = (account: string, now: number) =>
  Effect.gen(function* () {
    yield* catchUpProjections
    const watermark = yield* readModelWatermark
    const span = yield* tweetSpan(account, watermark, ALL_KINDS)
    const coveredUntil = span === undefined ? undefined : latestFitOrigin(span.last, now)
    const due = coveredUntil === undefined ? [] : [...(yield* listForecasts({ account, scored: false, endedBy: coveredUntil }))].reverse()
    const scored: Array<ScoreRun["scored"][number]> = []
    for (const row of due) {
      // Decided on the forecast's stream as it is when the score lands: scored once, whoever scores it.
      const { before, events } = yield* handleCommand({
        stream: forecastStream(row.forecastId),
        decode: (recorded: RecordedEvent) => Effect.map(decodeCatalogEvent(recorded), forecastFact),
        initial: { issued: undefined as ForecastIssuedData | undefined, scored: false },
        evolve: (state, fact) => (fact._tag === "Issued" ? { ...state, issued: fact.data } : { ...state, scored: true }),
        decide: ({ issued, scored }) =>
          issued === undefined || scored
            ? Effect.succeed<ReadonlyArray<ForecastFact>>([])
            : Effect.suspend(() => {
                const w = parseWindowIso(issued.window)
                return Effect.map(tweetTimesBetween(account, watermark, issued.countKinds, w.start, w.end), (times) => [
                  { _tag: "Scored" as const, data: scoreIssued(issued, times.length, watermark) }
                ])
              }),
        encode: (facts) =>
          facts.flatMap((f) => (f._tag === "Scored" ? [ForecastScored.toAppend(f.data, { codeVersion: codeVersion(), correlationId: f.data.forecastId }).event] : []))
      })
      const issued = before.issued!
      const model = forecasterOf(issued.model, issued.calibration !== undefined)
      for (const f of events) if (f._tag === "Scored") scored.push({ ...f.data, model, window: issued.window })
    }
    yield* catchUpProjections
    const all = yield* listForecasts({ account })
    const pending = all.filter((f) => f.score === null).length
    return { scored, pending, coveredUntil, all } satisfies ScoreRun
  })

export interface CalibrationLine {
  readonly model: string
  readonly n: number
  readonly crps: number
  readonly logScore: number
  readonly cover50: number
  readonly cover80: number
  readonly cover95: number
  /** PIT counts in 5 equal bins. */
  readonly pitQuintiles: ReadonlyArray<number>
}

/** Running calibration over scored forecasts: all together, then per model. */
export const calibration = (rows: ReadonlyArray<ForecastRow>): ReadonlyArray<CalibrationLine> => {
  const scored = rows.filter((r) => r.score !== null)
  const line = (model: string, rs: ReadonlyArray<ForecastRow>): CalibrationLine => {
    const n = rs.length
    const avg = (f: (r: ForecastRow) => number) => rs.reduce((s, r) => s + f(r), 0) / n
    return {
      model,
      n,
      crps: avg((r) => r.score!.crps),
      logScore: avg((r) => r.score!.logScore),
      cover50: avg((r) => (r.score!.inside50 ? 1 : 0)),
      cover80: avg((r) => (r.score!.inside80 ? 1 : 0)),
      cover95: avg((r) => (r.score!.inside95 ? 1 : 0)),
      pitQuintiles: pitHistogram(rs.map((r) => r.score!.pit), 5).counts
    }
  }
  if (scored.length === 0) return []
  // A recalibrated forecast is scored apart from its model's raw ones (`ewma_level+cal`, as in backtests).
  const forecaster = (r: ForecastRow) => forecasterOf(r.model, r.calibration !== null)
  const models = [...new Set(scored.map(forecaster))].sort()
  return [line("all", scored), ...models.map((m) => line(m, scored.filter((r) => forecaster(r) === m)))]
}
