/**
 * The summary of a window forecast: hourly fan (mean, 10/50/90%) over the simulated hours of the window,
 * totals per 24-hour block from the window start, and the distribution of the window total, shown both
 * whole (observed + remaining) and as the remaining simulated part alone.
 */
import { HOURLY_QUANTILES, TOTAL_QUANTILES, type SamplePaths } from "../models/model"
import { mean, quantileSorted, sortedCopy } from "../stats/quantile"
import { DAY_MS, HOUR_MS } from "../time"
import type { ForecastPlan } from "./plan"

export interface Distribution {
  readonly mean: number
  /** One value per level of TOTAL_QUANTILES (type-7 sample quantiles). */
  readonly quantiles: ReadonlyArray<number>
}

export interface DayBlock {
  /** [start, end): 24 h from the window start (the last block may be shorter). */
  readonly start: number
  readonly end: number
  /** Count already observed inside the block. */
  readonly observed: number
  /** Block total (observed + simulated): mean and 10/50/90%. */
  readonly mean: number
  readonly quantiles: ReadonlyArray<number>
}

export interface WindowSummary {
  /** Count observed in [window start, origin), over `observedHours` hours. */
  readonly observed: number
  readonly observedHours: number
  /** Hourly fan over [max(START, origin), END): first hour, then one value per hour. */
  readonly hourly: {
    readonly start: number
    readonly mean: Float64Array
    /** One array per level of HOURLY_QUANTILES. */
    readonly quantiles: ReadonlyArray<Float64Array>
  }
  readonly days: ReadonlyArray<DayBlock>
  readonly total: Distribution
  readonly remaining: Distribution
  /** Remaining (simulated) window total of every path, ascending. */
  readonly remainingSorted: Float64Array
}

export const distribution = (sorted: Float64Array, levels: ReadonlyArray<number>, shift = 0): Distribution => ({
  mean: mean(sorted) + shift,
  quantiles: levels.map((q) => quantileSorted(sorted, q) + shift)
})

/**
 * The simulated part of the window total, [max(START, origin), END), of every path, ascending: what
 * `forecast` summarises and what backtests score at each issue time (observed part added by the caller).
 */
export const remainingTotalsSorted = (paths: SamplePaths, plan: ForecastPlan): Float64Array => {
  if (paths.hours !== plan.simulateHours) throw new RangeError(`expected ${plan.simulateHours} simulated hours, got ${paths.hours}`)
  const { values, hours, paths: n } = paths
  const remaining = new Float64Array(n)
  for (let p = 0; p < n; p++) {
    let s = 0
    const row = p * hours + plan.skipHours
    for (let h = 0; h < plan.remainingHours; h++) s += values[row + h]!
    remaining[p] = s
  }
  return remaining.sort()
}

/** Summarises paths simulated from the plan's origin for `plan.simulateHours` hours. */
export const summarizeWindow = (paths: SamplePaths, plan: ForecastPlan, observedHourly: ArrayLike<number>): WindowSummary => {
  if (paths.origin !== plan.origin) throw new RangeError("paths do not start at the plan's origin")
  if (paths.hours !== plan.simulateHours) throw new RangeError(`expected ${plan.simulateHours} simulated hours, got ${paths.hours}`)
  if (observedHourly.length !== plan.observedHours) throw new RangeError(`expected ${plan.observedHours} observed hours, got ${observedHourly.length}`)
  const { values, hours, paths: n } = paths
  const skip = plan.skipHours
  const rem = plan.remainingHours
  let observed = 0
  for (let i = 0; i < observedHourly.length; i++) observed += observedHourly[i]!

  const hourlyMean = new Float64Array(rem)
  const hourlyQ = HOURLY_QUANTILES.map(() => new Float64Array(rem))
  const column = new Float64Array(n)
  for (let h = 0; h < rem; h++) {
    let s = 0
    for (let p = 0; p < n; p++) {
      const v = values[p * hours + skip + h]!
      column[p] = v
      s += v
    }
    hourlyMean[h] = s / n
    column.sort()
    HOURLY_QUANTILES.forEach((q, i) => (hourlyQ[i]![h] = quantileSorted(column, q)))
  }

  const remainingSorted = remainingTotalsSorted(paths, plan)

  const days: DayBlock[] = []
  const { start, end } = plan.window
  for (let ds = start; ds < end; ds += DAY_MS) {
    const de = Math.min(end, ds + DAY_MS)
    let obs = 0
    for (let t = ds; t < Math.min(de, plan.origin); t += HOUR_MS) obs += observedHourly[(t - start) / HOUR_MS]!
    const from = (Math.max(ds, plan.origin) - plan.origin) / HOUR_MS
    const to = (de - plan.origin) / HOUR_MS
    const block = new Float64Array(n)
    for (let p = 0; p < n; p++) {
      let s = obs
      for (let h = from; h < to; h++) s += values[p * hours + h]!
      block[p] = s
    }
    const sorted = sortedCopy(block)
    days.push({ start: ds, end: de, observed: obs, mean: mean(block), quantiles: HOURLY_QUANTILES.map((q) => quantileSorted(sorted, q)) })
  }

  return {
    observed,
    observedHours: plan.observedHours,
    hourly: { start: Math.max(start, plan.origin), mean: hourlyMean, quantiles: hourlyQ },
    days,
    total: distribution(remainingSorted, TOTAL_QUANTILES, observed),
    remaining: distribution(remainingSorted, TOTAL_QUANTILES),
    remainingSorted
  }
}

/** The window totals (observed + remaining) of every path, ascending. */
export const windowTotalsSorted = (s: Pick<WindowSummary, "observed" | "remainingSorted">): Float64Array => s.remainingSorted.map((x) => x + s.observed)
