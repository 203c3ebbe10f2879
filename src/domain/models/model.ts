/**
 * The contract every forecasting model (NB2, Hawkes, SARIMAX, baselines) implements.
 * Models are plain functions over typed arrays: no I/O, no clock, no global randomness.
 */
import { Data } from "effect"
import { HOUR_MS } from "../time"
import { mean, quantileSorted, sortedCopy } from "../stats/quantile"

export const MODEL_KINDS = [
  "negative_binomial",
  "hawkes",
  "sarimax",
  "seasonal_naive",
  "poisson_seasonal",
  "ewma_level",
  "nb_local_level"
] as const
export type ModelKind = (typeof MODEL_KINDS)[number]

export const isModelKind = (name: string): name is ModelKind => (MODEL_KINDS as ReadonlyArray<string>).includes(name)

/** Hourly counts from `start` (epoch ms, on a UTC hour), one value per hour. */
export interface HourlySeries {
  readonly start: number
  readonly counts: Float64Array
}

/**
 * What a model may know at an origin (the as-of inputs): everything strictly before `origin`.
 * `hourly` ends exactly at `origin` (start + counts.length hours = origin).
 */
export interface ModelInputs {
  readonly origin: number
  readonly hourly: HourlySeries
  /** Epoch ms of each tweet inside the hourly window, ascending (for point-process models). */
  readonly eventTimes: Float64Array
  /**
   * Exogenous intensity in [0,1] per hour as known at `origin`, from `hourly.start` through the end of
   * any forecast horizon the caller may ask for (hours past the array's end count as 0).
   */
  readonly exogenous?: Float64Array
}

/** Monte Carlo paths of hourly counts: path p, hour h at values[p * hours + h]. */
export interface SamplePaths {
  readonly origin: number
  readonly hours: number
  readonly paths: number
  readonly values: Float64Array
}

export interface ForecastOptions {
  readonly paths: number
  readonly seed: number
}

/** JSON-serialisable fit result; it is stored verbatim in a `ModelFitted` event. */
export interface FittedModel {
  readonly kind: ModelKind
  readonly params: Record<string, unknown>
  readonly diagnostics: Record<string, unknown>
}

export interface CountModel<Spec, Fitted extends FittedModel> {
  readonly kind: ModelKind
  readonly fit: (inputs: ModelInputs, spec: Spec) => Fitted
  readonly forecast: (fitted: Fitted, inputs: ModelInputs, horizonHours: number, options: ForecastOptions) => SamplePaths
}

/** A fit that cannot produce finite parameters says why instead of returning NaN. */
export class ModelFitError extends Data.TaggedError("ModelFitError")<{
  readonly model: ModelKind | string
  readonly reason: string
}> {
  override get message(): string {
    return `${this.model} fit failed: ${this.reason}`
  }
}

export const TOTAL_QUANTILES = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] as const
export const HOURLY_QUANTILES = [0.1, 0.5, 0.9] as const

export interface ForecastSummary {
  readonly origin: number
  readonly hours: number
  readonly paths: number
  readonly hourlyMean: Float64Array
  /** One array per level of HOURLY_QUANTILES. */
  readonly hourlyQuantiles: ReadonlyArray<Float64Array>
  /** Window totals, one per path, ascending. */
  readonly totals: Float64Array
  readonly totalMean: number
  /** One value per level of TOTAL_QUANTILES. */
  readonly totalQuantiles: ReadonlyArray<number>
}

export const summarizePaths = (sp: SamplePaths): ForecastSummary => {
  const { hours, paths, values } = sp
  const hourlyMean = new Float64Array(hours)
  const totals = new Float64Array(paths)
  for (let p = 0; p < paths; p++) {
    let t = 0
    for (let h = 0; h < hours; h++) {
      const v = values[p * hours + h]!
      hourlyMean[h]! += v
      t += v
    }
    totals[p] = t
  }
  for (let h = 0; h < hours; h++) hourlyMean[h]! /= paths
  const column = new Float64Array(paths)
  const hourlyQuantiles = HOURLY_QUANTILES.map(() => new Float64Array(hours))
  for (let h = 0; h < hours; h++) {
    for (let p = 0; p < paths; p++) column[p] = values[p * hours + h]!
    column.sort()
    HOURLY_QUANTILES.forEach((q, i) => (hourlyQuantiles[i]![h] = quantileSorted(column, q)))
  }
  const sortedTotals = sortedCopy(totals)
  return {
    origin: sp.origin,
    hours,
    paths,
    hourlyMean,
    hourlyQuantiles,
    totals: sortedTotals,
    totalMean: mean(totals),
    totalQuantiles: TOTAL_QUANTILES.map((q) => quantileSorted(sortedTotals, q))
  }
}

/** Checks the as-of contract; models call it first so a malformed input fails loudly. */
export const assertInputs = (inputs: ModelInputs): void => {
  const { hourly, origin } = inputs
  if (hourly.start % HOUR_MS !== 0) throw new RangeError("hourly.start must be on a UTC hour")
  if (hourly.start + hourly.counts.length * HOUR_MS !== origin) throw new RangeError("hourly window must end exactly at the origin")
}
