/**
 * Weekly seasonal naive baseline.
 *
 * Point forecast: the count of the same hour one week earlier; past one week the last observed week
 * repeats (hour T+h gets the count of hour T − 168 + (h mod 168)).
 *
 * Predictive distribution (docs/models/baselines.md): a doubly stochastic Poisson around the naive rate.
 * Each path draws a week-level multiplier G_k ~ Gamma(shape 1/φ, scale φ) (mean 1, variance φ) for every
 * forecast week k and scales the naive rate by the running product G_0···G_k (a random walk in the
 * log level, so uncertainty grows with each repeated week); each hour is then Poisson(ŷ_t · G_0···G_k).
 * Conditional on one week, the total W is Poisson-Gamma with Var(W) = W_prev + φ W_prev², which is the
 * quantity the protocol scores, so φ is estimated from week-over-week changes of weekly totals in the
 * training window by the method of moments. The hourly mean stays the naive value ŷ_t (E[G] = 1).
 */
import { Rng } from "../../random"
import { seasonalNaiveScale } from "../../stats/seasonal"
import { toIsoUtc } from "../../time"
import { assertInputs, ModelFitError, type CountModel, type FittedModel, type ModelInputs, type SamplePaths } from "../model"

export const SEASON_HOURS = 168

export interface SeasonalNaiveSpec {
  /** Lower bound on φ (default 0: pure Poisson when weekly totals are steadier than Poisson). */
  readonly minDispersion?: number
}

export interface SeasonalNaiveFitted extends FittedModel {
  readonly kind: "seasonal_naive"
  readonly params: {
    /** Variance of the week-level multiplier G (mean 1). 0 means a plain Poisson around the naive rate. */
    readonly dispersion: number
  }
  readonly diagnostics: {
    /** Complete weeks (blocks of 168 h ending at the origin) in the training window. */
    readonly weeks: number
    /** Totals of those weeks, most recent first. */
    readonly weekTotals: ReadonlyArray<number>
    /** Raw moment estimate of φ before flooring (may be negative when totals vary less than Poisson). */
    readonly dispersionRaw: number
    /** In-sample MAE of the hourly weekly naive rule (the MASE scale), over hours with a week of history. */
    readonly inSampleMae: number
    readonly trainStart: string
    readonly trainEnd: string
  }
}

/**
 * Totals of the complete 168-hour blocks ending at the end of `counts`, most recent first.
 * Hours before the first complete block (window not a multiple of a week) are ignored.
 */
export const weekTotalsEndingAtOrigin = (counts: ArrayLike<number>): number[] => {
  const weeks = Math.floor(counts.length / SEASON_HOURS)
  const out: number[] = []
  for (let j = 0; j < weeks; j++) {
    const end = counts.length - j * SEASON_HOURS
    let s = 0
    for (let i = end - SEASON_HOURS; i < end; i++) s += counts[i]!
    out.push(s)
  }
  return out
}

/**
 * Method-of-moments φ for W_j | W_{j+1} ~ Poisson(G·W_{j+1}), G with mean 1 and variance φ:
 * E[(W_j − W_{j+1})² − W_{j+1}] = φ W_{j+1}², pooled as a ratio estimator over all consecutive pairs.
 */
export const weeklyDispersionMoment = (totalsRecentFirst: ReadonlyArray<number>): number => {
  let num = 0
  let den = 0
  for (let j = 0; j + 1 < totalsRecentFirst.length; j++) {
    const cur = totalsRecentFirst[j]!
    const prev = totalsRecentFirst[j + 1]!
    num += (cur - prev) ** 2 - prev
    den += prev * prev
  }
  return den > 0 ? num / den : 0
}

/** The naive point forecast for `horizonHours` hours after the end of `counts`. */
export const seasonalNaivePoint = (counts: ArrayLike<number>, horizonHours: number): Float64Array => {
  if (counts.length < SEASON_HOURS) throw new RangeError(`need at least ${SEASON_HOURS} hours of history, got ${counts.length}`)
  const base = counts.length - SEASON_HOURS
  const out = new Float64Array(horizonHours)
  for (let h = 0; h < horizonHours; h++) out[h] = counts[base + (h % SEASON_HOURS)]!
  return out
}

const fit = (inputs: ModelInputs, spec: SeasonalNaiveSpec): SeasonalNaiveFitted => {
  assertInputs(inputs)
  const counts = inputs.hourly.counts
  if (counts.length < 2 * SEASON_HOURS) {
    throw new ModelFitError({
      model: "seasonal_naive",
      reason: `needs at least two weeks (336 h) of history to estimate the week-over-week spread, got ${counts.length} h`
    })
  }
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!
    if (!(c >= 0) || !Number.isFinite(c)) throw new ModelFitError({ model: "seasonal_naive", reason: `hour ${i} has an invalid count ${c}` })
  }
  const weekTotals = weekTotalsEndingAtOrigin(counts)
  const raw = weeklyDispersionMoment(weekTotals)
  const dispersion = Math.max(spec.minDispersion ?? 0, raw, 0)
  return {
    kind: "seasonal_naive",
    params: { dispersion },
    diagnostics: {
      weeks: weekTotals.length,
      weekTotals,
      dispersionRaw: raw,
      inSampleMae: seasonalNaiveScale(counts, SEASON_HOURS),
      trainStart: toIsoUtc(inputs.hourly.start),
      trainEnd: toIsoUtc(inputs.origin)
    }
  }
}

const forecast = (fitted: SeasonalNaiveFitted, inputs: ModelInputs, horizonHours: number, options: { paths: number; seed: number }): SamplePaths => {
  assertInputs(inputs)
  if (!(Number.isInteger(horizonHours) && horizonHours > 0)) throw new RangeError(`horizonHours must be a positive integer, got ${horizonHours}`)
  if (!(Number.isInteger(options.paths) && options.paths > 0)) throw new RangeError(`paths must be a positive integer, got ${options.paths}`)
  const point = seasonalNaivePoint(inputs.hourly.counts, horizonHours)
  const phi = fitted.params.dispersion
  const weeksAhead = Math.ceil(horizonHours / SEASON_HOURS)
  const rng = Rng.seeded(options.seed)
  const values = new Float64Array(options.paths * horizonHours)
  // Uniform consumption order (fixed, so a seed reproduces): per path, the weekly multipliers first, then hours in order.
  const level = new Float64Array(weeksAhead)
  for (let p = 0; p < options.paths; p++) {
    let g = 1
    for (let k = 0; k < weeksAhead; k++) {
      if (phi > 0) g *= rng.gamma(1 / phi) * phi
      level[k] = g
    }
    const row = p * horizonHours
    for (let h = 0; h < horizonHours; h++) {
      const rate = point[h]! * level[Math.floor(h / SEASON_HOURS)]!
      values[row + h] = rng.poisson(rate)
    }
  }
  return { origin: inputs.origin, hours: horizonHours, paths: options.paths, values }
}

export const SeasonalNaive: CountModel<SeasonalNaiveSpec, SeasonalNaiveFitted> = {
  kind: "seasonal_naive",
  fit,
  forecast
}

