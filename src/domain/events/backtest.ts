/**
 * Backtest events, stream `backtest-<backtestId>`:
 *  - `BacktestStarted`: what is being run (models, origins, training window, protocol, Monte Carlo
 *    paths and seed, feature spec, and the log position the replay reads up to);
 *  - `BacktestWindowEvaluated`: one per (model, origin): the per-origin metrics of
 *    src/domain/metrics/evaluate.ts and a summary of the forecast;
 *  - `BacktestCompleted`: the averages over origins per model.
 * Ids are UUID v5 of natural keys, so a retried append of the same run is idempotent.
 */
import { Schema } from "effect"
import { defineEvent } from "./codec"
import { UtcInstant } from "./instant"
import { MODEL_KINDS, TOTAL_QUANTILES, type ForecastSummary, type ModelKind } from "../models/model"
import type { ProtocolAverages, WindowMetrics } from "../metrics/evaluate"

export const BACKTEST_CATEGORY = "backtest"
export const backtestStream = (backtestId: string): string => `${BACKTEST_CATEGORY}-${backtestId}`

export const ModelKindSchema = Schema.Literal(...MODEL_KINDS)

/** What a backtest scores: a model, a model recalibrated from its past errors (`<model>+cal`), or the ensemble. */
export const ForecasterSchema = Schema.Union(ModelKindSchema, Schema.TemplateLiteral(ModelKindSchema, Schema.Literal("+cal")), Schema.Literal("ensemble"))

/** `<n>w` (n whole weeks before each origin) or `since-regime` (from the latest regime start known at the origin). */
export const TrainWindowSchema = Schema.String.pipe(
  Schema.filter((s) => /^[1-9][0-9]*w$/.test(s) || s === "since-regime" || `expected "<weeks>w" or "since-regime", got "${s}"`)
)

/** A global log position (bigint) as a decimal string. */
export const PositionString = Schema.String.pipe(Schema.filter((s) => /^(0|[1-9][0-9]*)$/.test(s) || `expected a decimal log position, got "${s}"`))

const NonNegative = Schema.Finite.pipe(Schema.nonNegative())
const Flag = Schema.Literal(0, 1)

export const BacktestStartedData = Schema.Struct({
  backtestId: Schema.UUID,
  /** The account whose tweets it read (absent in events recorded before accounts were keyed: @elonmusk). */
  account: Schema.optional(Schema.NonEmptyTrimmedString),
  models: Schema.Array(ModelKindSchema).pipe(Schema.minItems(1)),
  /** Forecast origins (Monday 00:00 UTC under the protocol), ascending. */
  origins: Schema.Array(UtcInstant).pipe(Schema.minItems(1)),
  trainWindow: TrainWindowSchema,
  /** "dev" for PROTOCOL.md's development origins, "custom" otherwise. */
  protocol: Schema.NonEmptyTrimmedString,
  paths: Schema.Int.pipe(Schema.positive()),
  seed: Schema.Int,
  featureSpecHash: Schema.optional(Schema.String),
  /** Last global log position the replay may read. */
  watermark: PositionString,
  /** Origins before `origins` evaluated only so calibration and the ensemble have earlier weeks (not scored). */
  burnInOrigins: Schema.optional(Schema.Array(UtcInstant))
})
export type BacktestStartedData = typeof BacktestStartedData.Type

/** The per-origin metrics; exactly the fields of WindowMetrics. */
export const WindowMetricsSchema = Schema.Struct({
  mae_h24: NonNegative,
  mae_h168: NonNegative,
  mae_week: NonNegative,
  crps_week: NonNegative,
  inside80_week: Flag,
  inside50_week: Flag,
  inside95_week: Flag,
  rmse_h24: NonNegative,
  rmse_h168: NonNegative,
  mase_h24: Schema.NullOr(NonNegative),
  mase_h168: Schema.NullOr(NonNegative),
  logscore_week: Schema.Finite,
  pit_week: Schema.Number.pipe(Schema.between(0, 1)),
  actual_week: NonNegative,
  mean_week: NonNegative
})

export const TotalQuantileSchema = Schema.Struct({ level: Schema.Number.pipe(Schema.between(0, 1)), value: Schema.Finite })

export const ForecastSummarySchema = Schema.Struct({
  /** Predictive mean per forecast hour (168 under the protocol). */
  hourlyMean: Schema.Array(Schema.Finite),
  /** Type-7 quantiles of the window total at TOTAL_QUANTILES. */
  totalQuantiles: Schema.Array(TotalQuantileSchema),
  totalMean: Schema.Finite
})
export type ForecastSummaryPayload = typeof ForecastSummarySchema.Type

/** The week total forecast from inside the week, k days after its origin (PROTOCOL.md's nowcasts). */
export const NowcastScoresSchema = Schema.Struct({
  atDays: Schema.Literal(1, 3, 5),
  /** Tweets already counted in [T, T + k days). */
  observed: NonNegative,
  crps_week: NonNegative,
  inside50_week: Flag,
  inside80_week: Flag,
  inside95_week: Flag,
  pit_week: Schema.Number.pipe(Schema.between(0, 1)),
  mean_week: NonNegative
})

export const BacktestWindowEvaluatedData = Schema.Struct({
  backtestId: Schema.UUID,
  model: ForecasterSchema,
  origin: UtcInstant,
  metrics: WindowMetricsSchema,
  forecast: ForecastSummarySchema,
  /** Wall seconds to fit and forecast this origin (0 for derived forecasters: calibration, ensemble). */
  fitSeconds: NonNegative,
  /** Scores at T + 1, 3 and 5 days (absent in backtests recorded before nowcasts were scored). */
  nowcasts: Schema.optional(Schema.Array(NowcastScoresSchema)),
  /** The ensemble's members and week-ahead weights at this origin, and how many earlier weeks set them. */
  weights: Schema.optional(
    Schema.Struct({ members: Schema.Array(ModelKindSchema), weights: Schema.Array(Schema.Number.pipe(Schema.between(0, 1))), windows: Schema.Int.pipe(Schema.nonNegative()) })
  )
})
export type BacktestWindowEvaluatedData = typeof BacktestWindowEvaluatedData.Type

/** Averages over origins (ProtocolAverages) plus fit_s, the median of fitSeconds, for one model. */
const Share = Schema.Number.pipe(Schema.between(0, 1))

export const ModelBacktestSummarySchema = Schema.Struct({
  model: ForecasterSchema,
  origins: Schema.Int.pipe(Schema.nonNegative()),
  mae_h24: NonNegative,
  mae_h168: NonNegative,
  mae_week: NonNegative,
  crps_week: NonNegative,
  cover80_week: Schema.Number.pipe(Schema.between(0, 1)),
  cover50_week: Schema.Number.pipe(Schema.between(0, 1)),
  cover95_week: Schema.Number.pipe(Schema.between(0, 1)),
  rmse_h24: NonNegative,
  rmse_h168: NonNegative,
  mase_h24: Schema.NullOr(NonNegative),
  mase_h168: Schema.NullOr(NonNegative),
  logscore_week: Schema.Finite,
  fit_s: NonNegative,
  /** Nowcast averages (absent in backtests recorded before nowcasts were scored). */
  crps_week_at_1d: Schema.optional(NonNegative),
  crps_week_at_3d: Schema.optional(NonNegative),
  crps_week_at_5d: Schema.optional(NonNegative),
  cover80_week_at_1d: Schema.optional(Share),
  cover80_week_at_3d: Schema.optional(Share),
  cover80_week_at_5d: Schema.optional(Share),
  /** Origins at which the model could not be fitted, with the reason (ModelFitError). */
  failures: Schema.optional(Schema.Array(Schema.Struct({ origin: UtcInstant, reason: Schema.String })))
})
export type ModelBacktestSummary = typeof ModelBacktestSummarySchema.Type

export const BacktestCompletedData = Schema.Struct({
  backtestId: Schema.UUID,
  summary: Schema.Array(ModelBacktestSummarySchema)
})
export type BacktestCompletedData = typeof BacktestCompletedData.Type

export const BacktestStarted = defineEvent("BacktestStarted", 1, BacktestStartedData, {
  stream: (d) => backtestStream(d.backtestId),
  naturalKey: (d) => `backtest-started:${d.backtestId}`
})
export const BacktestWindowEvaluated = defineEvent("BacktestWindowEvaluated", 1, BacktestWindowEvaluatedData, {
  stream: (d) => backtestStream(d.backtestId),
  naturalKey: (d) => `backtest-window:${d.backtestId}:${d.model}:${d.origin}`
})
export const BacktestCompleted = defineEvent("BacktestCompleted", 1, BacktestCompletedData, {
  stream: (d) => backtestStream(d.backtestId),
  naturalKey: (d) => `backtest-completed:${d.backtestId}`
})

export const backtestDefinitions = [BacktestStarted, BacktestWindowEvaluated, BacktestCompleted] as const

/** The forecast part of a BacktestWindowEvaluated payload. */
export const forecastSummaryPayload = (s: ForecastSummary): ForecastSummaryPayload => ({
  hourlyMean: Array.from(s.hourlyMean),
  totalQuantiles: TOTAL_QUANTILES.map((level, i) => ({ level, value: s.totalQuantiles[i]! })),
  totalMean: s.totalMean
})

export type Forecaster = typeof ForecasterSchema.Type

/** The nowcast averages of a summary, in the order tables and JSON show them. */
export const NOWCAST_SUMMARY_KEYS = [
  "crps_week_at_1d",
  "crps_week_at_3d",
  "crps_week_at_5d",
  "cover80_week_at_1d",
  "cover80_week_at_3d",
  "cover80_week_at_5d"
] as const
export type NowcastAverages = Pick<ModelBacktestSummary, (typeof NOWCAST_SUMMARY_KEYS)[number]>

/** The nowcast averages present on a summary-like row, as an object (null for the absent ones when asked). */
export const nowcastFields = <N extends null | undefined>(s: NowcastAverages, absent: N): Record<(typeof NOWCAST_SUMMARY_KEYS)[number], number | N> =>
  Object.fromEntries(NOWCAST_SUMMARY_KEYS.map((k) => [k, s[k] ?? absent])) as Record<(typeof NOWCAST_SUMMARY_KEYS)[number], number | N>

/** Averages of the nowcast scores over origins (every window must carry the three nowcasts). */
export const averageNowcasts = (windows: ReadonlyArray<ReadonlyArray<{ readonly atDays: number; readonly crps_week: number; readonly inside80_week: number }>>): NowcastAverages => {
  if (windows.length === 0 || windows.some((w) => w.length === 0)) return {}
  const avg = (days: number, f: (n: { crps_week: number; inside80_week: number }) => number): number =>
    windows.reduce((s, w) => s + f(w.find((n) => n.atDays === days)!), 0) / windows.length
  return {
    crps_week_at_1d: avg(1, (n) => n.crps_week),
    crps_week_at_3d: avg(3, (n) => n.crps_week),
    crps_week_at_5d: avg(5, (n) => n.crps_week),
    cover80_week_at_1d: avg(1, (n) => n.inside80_week),
    cover80_week_at_3d: avg(3, (n) => n.inside80_week),
    cover80_week_at_5d: avg(5, (n) => n.inside80_week)
  }
}

/** One forecaster's summary from its per-origin averages, its median fit time and its nowcast averages. */
export const modelBacktestSummary = (
  model: Forecaster,
  averages: ProtocolAverages,
  fitSecondsMedian: number,
  failures?: ReadonlyArray<{ readonly origin: string; readonly reason: string }>,
  nowcasts: NowcastAverages = {}
): ModelBacktestSummary => ({
  model,
  ...averages,
  fit_s: fitSecondsMedian,
  ...nowcasts,
  ...(failures !== undefined && failures.length > 0 ? { failures } : {})
})

// Compile-time checks that the schemas and the domain types stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const _metricsShape: Same<typeof WindowMetricsSchema.Type, WindowMetrics> = true
const _kindShape: Same<typeof ModelKindSchema.Type, ModelKind> = true
void _metricsShape
void _kindShape
