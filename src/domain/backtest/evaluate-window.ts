/**
 * One backtest window evaluated at every issue time of ../shared/PROTOCOL.md: the model is fitted on
 * what was known at the week's origin T, then the week's total [T, T+168h) is forecast at T and, as a
 * nowcast, at T + k days (k in NOWCAST_DAYS) from the data known at each issue time: the count observed
 * in [T, T + k days) plus the simulated rest, exactly as `forecast` builds a window that has started
 * (planForecast, remainingTotalsSorted). Parameters stay those fitted at T; the model's state (level,
 * lags, excitation, filtered state) comes from the inputs as of the issue time.
 * Pure: the same task gives the same numbers (seeds are derived per issue time).
 */
import { evaluateForecast, pitUniform, scoreTotals, WEEK_HOURS, type TotalScores, type WindowMetrics } from "../metrics/evaluate"
import { summarizePaths, type ModelInputs, type ModelKind } from "../models/model"
import { modelEntry } from "../models/registry"
import { observedHourly, planForecast } from "../forecast/plan"
import { remainingTotalsSorted } from "../forecast/summary"
import { quantileSorted } from "../stats/quantile"
import { DAY_MS, HOUR_MS } from "../time"
import { deriveSeed } from "./seed"

/** Days into the week at which nowcasts are issued (PROTOCOL.md). */
export const NOWCAST_DAYS = [1, 3, 5] as const
export type NowcastDays = (typeof NOWCAST_DAYS)[number]

/** The week-total distribution is recorded as its percentiles 1..99 (what the ensemble's weights are fitted on). */
export const WINDOW_TOTAL_LEVELS: ReadonlyArray<number> = Array.from({ length: 99 }, (_, i) => (i + 1) / 100)

export interface NowcastInputs {
  readonly atDays: NowcastDays
  /** As-of inputs ending at T + atDays days. */
  readonly inputs: ModelInputs
}

export interface WindowTask {
  readonly kind: ModelKind
  readonly spec: Record<string, unknown>
  /** As-of inputs ending at the origin T: the fit's data and the week-ahead forecast's state. */
  readonly inputs: ModelInputs
  readonly nowcasts: ReadonlyArray<NowcastInputs>
  /** Hourly actuals [T, T + 168 h). */
  readonly actual: Float64Array
  /** Hours of `inputs.hourly` that form the training window (the rest before it is warm-up). */
  readonly trainHours: number
  readonly paths: number
  readonly seed: number
}

export interface NowcastScores extends TotalScores {
  readonly atDays: NowcastDays
  /** Tweets already counted in [T, T + atDays days). */
  readonly observed: number
}

export interface WindowEvaluation {
  readonly kind: ModelKind
  readonly origin: number
  readonly metrics: WindowMetrics
  readonly forecast: {
    readonly hourlyMean: number[]
    readonly totalQuantiles: { level: number; value: number }[]
    readonly totalMean: number
  }
  readonly nowcasts: ReadonlyArray<NowcastScores>
  /**
   * The ascending sample of the week total at each issue time, origin first then NOWCAST_DAYS order:
   * what calibration and the ensemble are computed from after all windows are in (not recorded).
   */
  readonly totals: ReadonlyArray<Float64Array>
  /** Seconds to fit and forecast the week at the origin (PROTOCOL.md's fit_s), by the caller's clock; 0 without one. */
  readonly originSeconds: number
}

export const nowcastSeed = (seed: number, atDays: number): number => (atDays === 0 ? seed : deriveSeed(seed, "nowcast", atDays))

/** `clock` (milliseconds, e.g. performance.now) times the fit and the week-ahead forecast; the domain has no clock of its own. */
export const evaluateWindow = (task: WindowTask, clock?: () => number): WindowEvaluation => {
  const { kind, inputs } = task
  const t0 = clock?.() ?? 0
  const origin = inputs.origin
  const entry = modelEntry(kind)
  const fitted = entry.model.fit(inputs, task.spec)
  const paths = entry.model.forecast(fitted, inputs, WEEK_HOURS, { paths: task.paths, seed: task.seed })
  const originSeconds = clock === undefined ? 0 : (clock() - t0) / 1000
  const summary = summarizePaths(paths)
  const counts = inputs.hourly.counts
  const exactMean = entry.exactMean?.(fitted, inputs, WEEK_HOURS)
  const metrics = evaluateForecast(summary, task.actual, {
    trainingCounts: counts.subarray(Math.max(0, counts.length - task.trainHours)),
    pitSeed: task.seed,
    ...(exactMean !== undefined && { exactMean })
  })
  let actualWeek = 0
  for (let h = 0; h < WEEK_HOURS; h++) actualWeek += task.actual[h]!
  const window = { start: origin, end: origin + WEEK_HOURS * HOUR_MS }
  const totals: Float64Array[] = [summary.totals]
  const nowcasts = task.nowcasts.map(({ atDays, inputs: at }): NowcastScores => {
    const issue = origin + atDays * DAY_MS
    if (at.origin !== issue) throw new RangeError(`nowcast inputs for +${atDays}d end at ${at.origin}, not at ${issue}`)
    const plan = planForecast(window, issue)
    if (typeof plan === "string") throw new RangeError(plan)
    const seed = nowcastSeed(task.seed, atDays)
    const simulated = entry.model.forecast(fitted, at, plan.simulateHours, { paths: task.paths, seed })
    const observed = observedHourly(plan, at.eventTimes).reduce((a, b) => a + b, 0)
    const sorted = remainingTotalsSorted(simulated, plan).map((x) => x + observed)
    totals.push(sorted)
    return { atDays, observed, ...scoreTotals(sorted, actualWeek, pitUniform(seed, issue)) }
  })
  return {
    kind,
    origin,
    metrics,
    forecast: {
      hourlyMean: Array.from(exactMean ?? summary.hourlyMean),
      totalQuantiles: WINDOW_TOTAL_LEVELS.map((level) => ({ level, value: quantileSorted(summary.totals, level) })),
      totalMean: exactMean !== undefined ? exactMean.reduce((a, b) => a + b, 0) : summary.totalMean
    },
    nowcasts,
    totals,
    originSeconds
  }
}
