/**
 * Per-origin evaluation exactly as ../shared/PROTOCOL.md defines it, plus extras, and the average over
 * origins. Point forecast = predictive mean (per hour and of the week total); the week is the first
 * 168 forecast hours [T, T+168h); h24 is the first 24.
 */
import { HOUR_MS } from "../time"
import { Rng } from "../random"
import { summarizePaths, type ForecastSummary, type SamplePaths } from "../models/model"
import { mae, mase, rmse, seasonalNaiveScale, total } from "./point"
import { crpsSorted } from "./crps"
import { logScoreFromLogPmf, logScoreFromSamples } from "./log-score"
import { centralInterval, inside } from "./interval"
import { randomizedPit } from "./pit"

export const WEEK_HOURS = 168
export const DAY_HOURS = 24

/** Everything measured at one origin. Protocol keys first; 0/1 flags so they average into coverage. */
export interface WindowMetrics {
  readonly mae_h24: number
  readonly mae_h168: number
  readonly mae_week: number
  readonly crps_week: number
  readonly inside80_week: 0 | 1
  readonly inside50_week: 0 | 1
  readonly inside95_week: 0 | 1
  readonly rmse_h24: number
  readonly rmse_h168: number
  /** MAE divided by the in-sample weekly-naive MAE of the training window; null without training data or when that scale is 0. */
  readonly mase_h24: number | null
  readonly mase_h168: number | null
  /** −log p(actual week total) in nats, smoothed sample pmf unless the model's pmf was given. */
  readonly logscore_week: number
  /** Randomised PIT of the actual week total. */
  readonly pit_week: number
  readonly actual_week: number
  readonly mean_week: number
}

/** Every key of WindowMetrics, once (read models store one column per key). */
export const WINDOW_METRIC_KEYS = [
  "mae_h24",
  "mae_h168",
  "mae_week",
  "crps_week",
  "inside50_week",
  "inside80_week",
  "inside95_week",
  "rmse_h24",
  "rmse_h168",
  "mase_h24",
  "mase_h168",
  "logscore_week",
  "pit_week",
  "actual_week",
  "mean_week"
] as const satisfies ReadonlyArray<keyof WindowMetrics>

export interface EvaluateOptions {
  /** Hourly counts of the training window (ending at the origin), for the MASE scale. */
  readonly trainingCounts?: ArrayLike<number>
  /** The model's own log pmf of the week total, when it has one; else the samples are smoothed. */
  readonly weekTotalLogPmf?: (y: number) => number
  /**
   * Seed of the PIT randomisation. V is the first uniform of Rng.seeded(seed XOR (origin in hours)),
   * so it is reproducible and differs between origins. Default 0.
   */
  readonly pitSeed?: number
  /**
   * The model's exact predictive mean per forecast hour (≥ 168 values), when it has a closed form
   * (seasonal_naive: `seasonalNaivePoint`; poisson_seasonal: `poissonSeasonalMean`). It replaces the
   * Monte Carlo mean in every point metric (MAE, RMSE, MASE, mae_week, mean_week), so those numbers do
   * not depend on the seed and can be recomputed independently.
   */
  readonly exactMean?: ArrayLike<number>
}

/** The scores of a predictive sample of a window total: the ones every issue time (origin, nowcast) reports. */
export interface TotalScores {
  readonly crps_week: number
  readonly inside50_week: 0 | 1
  readonly inside80_week: 0 | 1
  readonly inside95_week: 0 | 1
  /** Randomised PIT with the supplied uniform `v`. */
  readonly pit_week: number
  readonly mean_week: number
}

/** Scores an ascending sample of the window total against the actual total. */
export const scoreTotals = (sortedTotals: ArrayLike<number>, actual: number, v: number): TotalScores => {
  const flag = (level: number): 0 | 1 => (inside(centralInterval(sortedTotals, level), actual) ? 1 : 0)
  let sum = 0
  for (let i = 0; i < sortedTotals.length; i++) sum += sortedTotals[i]!
  return {
    crps_week: crpsSorted(sortedTotals, actual),
    inside50_week: flag(0.5),
    inside80_week: flag(0.8),
    inside95_week: flag(0.95),
    pit_week: randomizedPit(sortedTotals, actual, v),
    mean_week: sum / sortedTotals.length
  }
}

/** The PIT's uniform at an issue time: the first draw of Rng.seeded(seed XOR (issue time in hours)). */
export const pitUniform = (seed: number, issueTime: number): number => Rng.seeded(seed ^ Math.floor(issueTime / HOUR_MS)).uniform()

const isSummary = (f: ForecastSummary | SamplePaths): f is ForecastSummary => "hourlyMean" in f

/** Keeps the first 168 hours of each path so totals are week totals. */
const firstWeek = (sp: SamplePaths): SamplePaths => {
  if (sp.hours === WEEK_HOURS) return sp
  const values = new Float64Array(sp.paths * WEEK_HOURS)
  for (let p = 0; p < sp.paths; p++) values.set(sp.values.subarray(p * sp.hours, p * sp.hours + WEEK_HOURS), p * WEEK_HOURS)
  return { origin: sp.origin, hours: WEEK_HOURS, paths: sp.paths, values }
}

export const evaluateForecast = (
  forecast: ForecastSummary | SamplePaths,
  actualHourly: ArrayLike<number>,
  options: EvaluateOptions = {}
): WindowMetrics => {
  if (forecast.hours < WEEK_HOURS) throw new RangeError(`the protocol scores 168 forecast hours, got ${forecast.hours}`)
  if (actualHourly.length < WEEK_HOURS) throw new RangeError(`the protocol needs 168 actual hours, got ${actualHourly.length}`)
  let summary: ForecastSummary
  if (isSummary(forecast)) {
    if (forecast.hours !== WEEK_HOURS) throw new RangeError(`a summary's totals must be week totals (168 h), got ${forecast.hours} h`)
    summary = forecast
  } else {
    summary = summarizePaths(firstWeek(forecast))
  }
  const actual = Array.from({ length: WEEK_HOURS }, (_, i) => actualHourly[i]!)
  if (options.exactMean !== undefined && options.exactMean.length < WEEK_HOURS) throw new RangeError(`exactMean needs 168 hours, got ${options.exactMean.length}`)
  const mean = options.exactMean !== undefined ? Float64Array.from({ length: WEEK_HOURS }, (_, i) => options.exactMean![i]!) : summary.hourlyMean
  const meanWeek = options.exactMean !== undefined ? total(mean) : summary.totalMean
  const mean24 = mean.subarray(0, DAY_HOURS)
  const actual24 = actual.slice(0, DAY_HOURS)
  const actualWeek = total(actual)
  const sortedTotals = summary.totals
  // The MASE scale needs more than a week of training data; with less (a one-week window) MASE is undefined.
  const training = options.trainingCounts !== undefined && options.trainingCounts.length > WEEK_HOURS ? options.trainingCounts : undefined
  const scale = training !== undefined ? seasonalNaiveScale(training, WEEK_HOURS) : 0
  const scores = scoreTotals(sortedTotals, actualWeek, pitUniform(options.pitSeed ?? 0, summary.origin))
  return {
    mae_h24: mae(mean24, actual24),
    mae_h168: mae(mean, actual),
    mae_week: Math.abs(meanWeek - actualWeek),
    crps_week: scores.crps_week,
    inside80_week: scores.inside80_week,
    inside50_week: scores.inside50_week,
    inside95_week: scores.inside95_week,
    rmse_h24: rmse(mean24, actual24),
    rmse_h168: rmse(mean, actual),
    mase_h24: training !== undefined ? mase(mean24, actual24, scale) : null,
    mase_h168: training !== undefined ? mase(mean, actual, scale) : null,
    logscore_week:
      options.weekTotalLogPmf !== undefined ? logScoreFromLogPmf(options.weekTotalLogPmf, actualWeek) : logScoreFromSamples(sortedTotals, actualWeek),
    pit_week: scores.pit_week,
    actual_week: actualWeek,
    mean_week: meanWeek
  }
}

/** Averages over origins, named as in PROTOCOL.md (inside80 averages into cover80). fit_s is the caller's (median wall time). */
export interface ProtocolAverages {
  readonly origins: number
  readonly mae_h24: number
  readonly mae_h168: number
  readonly mae_week: number
  readonly crps_week: number
  readonly cover80_week: number
  readonly cover50_week: number
  readonly cover95_week: number
  readonly rmse_h24: number
  readonly rmse_h168: number
  /** Mean over origins with a defined MASE; null when none. */
  readonly mase_h24: number | null
  readonly mase_h168: number | null
  readonly logscore_week: number
}

/** Every key of ProtocolAverages, once (read models store one column per key). */
export const PROTOCOL_AVERAGE_KEYS = [
  "origins",
  "mae_h24",
  "mae_h168",
  "mae_week",
  "crps_week",
  "cover50_week",
  "cover80_week",
  "cover95_week",
  "rmse_h24",
  "rmse_h168",
  "mase_h24",
  "mase_h168",
  "logscore_week"
] as const satisfies ReadonlyArray<keyof ProtocolAverages>

/** Compile-time check that a key list names every key of its interface. */
type Exhaustive<List extends ReadonlyArray<string>, I> = Exclude<keyof I, List[number]> extends never ? true : never
const exhaustive: [Exhaustive<typeof WINDOW_METRIC_KEYS, WindowMetrics>, Exhaustive<typeof PROTOCOL_AVERAGE_KEYS, ProtocolAverages>] = [true, true]
void exhaustive

export const averageOverOrigins = (windows: ReadonlyArray<WindowMetrics>): ProtocolAverages => {
  if (windows.length === 0) throw new RangeError("no origins to average")
  const avg = (f: (w: WindowMetrics) => number): number => windows.reduce((s, w) => s + f(w), 0) / windows.length
  const avgDefined = (f: (w: WindowMetrics) => number | null): number | null => {
    const xs = windows.map(f).filter((x): x is number => x !== null)
    return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
  }
  return {
    origins: windows.length,
    mae_h24: avg((w) => w.mae_h24),
    mae_h168: avg((w) => w.mae_h168),
    mae_week: avg((w) => w.mae_week),
    crps_week: avg((w) => w.crps_week),
    cover80_week: avg((w) => w.inside80_week),
    cover50_week: avg((w) => w.inside50_week),
    cover95_week: avg((w) => w.inside95_week),
    rmse_h24: avg((w) => w.rmse_h24),
    rmse_h168: avg((w) => w.rmse_h168),
    mase_h24: avgDefined((w) => w.mase_h24),
    mase_h168: avgDefined((w) => w.mase_h168),
    logscore_week: avg((w) => w.logscore_week)
  }
}

/** Skill of a negatively oriented score against a baseline: 1 − model/baseline (0 = as good, 1 = perfect, < 0 = worse). */
export const skillScore = (model: number, baseline: number): number | null => (baseline > 0 ? 1 - model / baseline : null)

/** The six per-model numbers PROTOCOL.md reports, in its order and with its names. */
export interface ProtocolReport {
  readonly mae_h24: number
  readonly mae_h168: number
  readonly mae_week: number
  readonly crps_week: number
  readonly cover80_week: number
  readonly fit_s: number
}

export const protocolReport = (s: ProtocolReport): ProtocolReport => ({
  mae_h24: s.mae_h24,
  mae_h168: s.mae_h168,
  mae_week: s.mae_week,
  crps_week: s.crps_week,
  cover80_week: s.cover80_week,
  fit_s: s.fit_s
})
