/**
 * The latest forecast as the report draws it: hourly fan (mean, 10/50/90%) over the simulated hours of
 * the window, the distribution of the window total, and bracket probabilities when it was asked for.
 */
import { Effect } from "effect"
import { forecasterOf } from "../../domain/backtest/derived"
import { forecastBrackets, forecastHours, listForecasts } from "../../projections/queries/forecasts"

export interface ForecastView {
  readonly forecastId: string
  /** A model kind, or `ensemble`; `<kind>+cal` when issued with --calibrate. */
  readonly model: string
  /** What the user asked for (`best` resolves to a kind). */
  readonly requested: string
  /** The fitted models used, with their weights in the pool (one member of weight 1 for a single model). */
  readonly members: ReadonlyArray<{ readonly kind: string; readonly modelId: string; readonly weight: number }>
  readonly paths: number
  readonly seed: number
  /** First simulated hour (epoch ms). */
  readonly origin: number
  /** The forecast window [start, end) (epoch ms). */
  readonly windowStart: number
  readonly windowEnd: number
  /** When ForecastIssued was recorded (epoch ms). */
  readonly issuedAt: number
  /** Tweets already observed in [windowStart, origin) when the window had started. */
  readonly observed: number
  readonly hourly: {
    readonly start: number
    readonly mean: ReadonlyArray<number>
    readonly q10: ReadonlyArray<number>
    readonly q50: ReadonlyArray<number>
    readonly q90: ReadonlyArray<number>
  }
  /** Window total (observed + simulated): mean and quantiles, levels ascending. */
  readonly total: { readonly mean: number; readonly quantiles: ReadonlyArray<{ readonly level: number; readonly value: number }> }
  /** Empty when the forecast was issued without brackets. */
  readonly brackets: ReadonlyArray<{ readonly label: string; readonly probability: number }>
  /** Present once the window has ended and `forecast score` recorded the actual total. */
  readonly score: { readonly actual: number; readonly crps: number; readonly pit: number } | null
}

/** The account's newest ForecastIssued (highest log position) from the forecasts read model, or undefined. */
export const latestForecastView = (account: string) => Effect.gen(function* () {
  const [row] = yield* listForecasts({ account, limit: 1 })
  if (row === undefined) return undefined
  const hours = yield* forecastHours(row.forecastId)
  const brackets = yield* forecastBrackets(row.forecastId)
  return {
    forecastId: row.forecastId,
    model: forecasterOf(row.model, row.calibration !== null),
    requested: row.requested,
    members: row.members.map((m) => ({ kind: m.kind, modelId: m.modelId, weight: m.weight })),
    paths: row.paths,
    seed: row.seed,
    origin: row.origin,
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    issuedAt: row.issuedAt,
    observed: row.observed.count,
    // the fan's rows are the consecutive simulated hours of the window
    hourly: {
      start: hours[0]?.hourStart ?? Math.max(row.origin, row.windowStart),
      mean: hours.map((h) => h.mean),
      q10: hours.map((h) => h.q10),
      q50: hours.map((h) => h.q50),
      q90: hours.map((h) => h.q90)
    },
    total: row.total,
    brackets: brackets.map((b) => ({ label: b.label, probability: b.probability })),
    score: row.score === null ? null : { actual: row.score.actual, crps: row.score.crps, pit: row.score.pit }
  } satisfies ForecastView
})
