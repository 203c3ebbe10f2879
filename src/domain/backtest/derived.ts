/**
 * Forecasters derived from a backtest's model windows, each computed at every issue time with nothing
 * but what was known then (no look-ahead):
 * - `<model>+cal`: the model recalibrated from its own PITs at earlier origins (calibration.ts);
 * - `ensemble`: a linear pool of the models, its weights minimising the mean CRPS of the pool over
 *   earlier origins (src/domain/forecast/ensemble.ts), equal weights while fewer than
 *   ENSEMBLE_MIN_WINDOWS earlier weeks are known.
 * "Earlier" means an origin whose week ended by the issue time: T' + 7 days ≤ T for every issue time
 * T + k days of the week starting at T. Burn-in windows count as earlier windows but are not scored.
 */
import { evaluateForecast, pitUniform, scoreTotals, WEEK_HOURS, type WindowMetrics } from "../metrics/evaluate"
import { fitLinearPool, poolTerms } from "../forecast/ensemble"
import type { ForecastSummary, ModelKind } from "../models/model"
import { quantileSorted } from "../stats/quantile"
import { DAY_MS, WEEK_MS } from "../time"
import { CALIBRATION_MAX_WINDOWS, recalibrateSorted } from "./calibration"
import { NOWCAST_DAYS, WINDOW_TOTAL_LEVELS, type NowcastScores, type WindowEvaluation } from "./evaluate-window"
import { deriveSeed } from "./seed"

export type Forecaster = ModelKind | `${ModelKind}+cal` | "ensemble"
export const ENSEMBLE = "ensemble" as const
export const calibratedName = (kind: ModelKind): Forecaster => `${kind}+cal`
/** The forecaster a recorded forecast is scored as: its model, or `<model>+cal` when issued recalibrated (an ensemble never is). */
export const forecasterOf = (model: ModelKind | typeof ENSEMBLE, recalibrated: boolean): Forecaster =>
  recalibrated && model !== ENSEMBLE ? calibratedName(model) : model

/** Fewest earlier weeks the ensemble fits weights on; with fewer it pools with equal weights. */
export const ENSEMBLE_MIN_WINDOWS = 10
/** Size of the sample a derived forecaster's distribution is represented by. */
export const DERIVED_SAMPLE_SIZE = 2000

export interface ModelWindow extends Omit<WindowEvaluation, "originSeconds"> {
  readonly burnIn: boolean
}

export interface DerivedWindow {
  readonly forecaster: Forecaster
  readonly origin: number
  readonly metrics: WindowMetrics
  readonly nowcasts: ReadonlyArray<NowcastScores>
  readonly forecast: WindowEvaluation["forecast"]
  /** Ensemble only: its members and their weights at this origin, and how many earlier weeks set them. */
  readonly weights?: { readonly members: ReadonlyArray<ModelKind>; readonly weights: ReadonlyArray<number>; readonly windows: number }
}

const pitOf = (w: ModelWindow, i: number): number => (i === 0 ? w.metrics.pit_week : w.nowcasts[i - 1]!.pit_week)

/** Windows whose week ended by the origin's first issue time, most recent `max` of them. */
const earlier = <W extends { readonly origin: number }>(windows: ReadonlyArray<W>, origin: number, max: number): W[] =>
  windows.filter((w) => w.origin + WEEK_MS <= origin).slice(-max)

/** Scores of a derived sample at every issue time, built like a model's window. */
const scoreDerived = (
  forecaster: Forecaster,
  origin: number,
  samples: ReadonlyArray<Float64Array>,
  hourlyMean: Float64Array,
  actualHourly: ArrayLike<number>,
  runSeed: number,
  observed: ReadonlyArray<number>
): Omit<DerivedWindow, "weights"> => {
  const seed = deriveSeed(runSeed, forecaster, origin)
  const totals = samples[0]!
  let totalMean = 0
  for (const x of totals) totalMean += x
  totalMean /= totals.length
  const summary: ForecastSummary = { origin, hours: WEEK_HOURS, paths: totals.length, hourlyMean, hourlyQuantiles: [], totals, totalMean, totalQuantiles: [] }
  const metrics = evaluateForecast(summary, actualHourly, { pitSeed: seed })
  const nowcasts = NOWCAST_DAYS.map((atDays, i): NowcastScores => {
    const issue = origin + atDays * DAY_MS
    return { atDays, observed: observed[i]!, ...scoreTotals(samples[i + 1]!, metrics.actual_week, pitUniform(deriveSeed(seed, "nowcast", atDays), issue)) }
  })
  return {
    forecaster,
    origin,
    metrics,
    nowcasts,
    forecast: {
      hourlyMean: Array.from(hourlyMean),
      totalQuantiles: WINDOW_TOTAL_LEVELS.map((level) => ({ level, value: quantileSorted(totals, level) })),
      totalMean
    }
  }
}

/** `<model>+cal` at every scored origin of one model. */
export const calibratedWindows = (
  windows: ReadonlyArray<ModelWindow>,
  actuals: ReadonlyMap<number, ArrayLike<number>>,
  runSeed: number
): DerivedWindow[] => {
  const sorted = [...windows].sort((a, b) => a.origin - b.origin)
  const out: DerivedWindow[] = []
  for (const w of sorted) {
    if (w.burnIn) continue
    const past = earlier(sorted, w.origin, CALIBRATION_MAX_WINDOWS)
    const samples = w.totals.map((raw, i) => recalibrateSorted(raw, past.map((p) => pitOf(p, i)), DERIVED_SAMPLE_SIZE))
    out.push(
      scoreDerived(calibratedName(w.kind), w.origin, samples, Float64Array.from(w.forecast.hourlyMean), actuals.get(w.origin)!, runSeed, w.nowcasts.map((n) => n.observed))
    )
  }
  return out
}

/** Largest-remainder apportionment of `size` atoms by weight. */
const apportion = (weights: ReadonlyArray<number>, size: number): number[] => {
  const raw = weights.map((w) => w * size)
  const counts = raw.map(Math.floor)
  let left = size - counts.reduce((a, b) => a + b, 0)
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i)
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]!.i]! += 1
  return counts
}

/** The pool of ascending member samples with these weights, as one ascending sample of `size` values. */
export const poolSorted = (members: ReadonlyArray<Float64Array>, weights: ReadonlyArray<number>, size = DERIVED_SAMPLE_SIZE): Float64Array => {
  const counts = apportion(weights, size)
  const out = new Float64Array(size)
  let k = 0
  members.forEach((m, i) => {
    const c = counts[i]!
    for (let j = 0; j < c; j++) out[k++] = quantileSorted(m, (j + 0.5) / c)
  })
  return out.sort()
}

const atomsOf = (sorted: Float64Array): Float64Array => Float64Array.from(WINDOW_TOTAL_LEVELS, (l) => quantileSorted(sorted, l))

/**
 * The ensemble at every scored origin where every model has a window. Weights are fitted separately for
 * each issue-time offset (the week ahead and each nowcast), on the earlier weeks all models have.
 */
export const ensembleWindows = (
  byModel: ReadonlyMap<ModelKind, ReadonlyArray<ModelWindow>>,
  actuals: ReadonlyMap<number, ArrayLike<number>>,
  runSeed: number
): DerivedWindow[] => {
  const members = [...byModel.keys()]
  if (members.length < 2) return []
  const index = members.map((m) => new Map(byModel.get(m)!.map((w) => [w.origin, w])))
  const common = [...index[0]!.keys()].filter((o) => index.every((ix) => ix.has(o))).sort((a, b) => a - b)
  const out: DerivedWindow[] = []
  for (const origin of common) {
    const at = index.map((ix) => ix.get(origin)!)
    if (at[0]!.burnIn) continue
    const past = earlier(common.map((o) => ({ origin: o })), origin, CALIBRATION_MAX_WINDOWS).map((p) => p.origin)
    const issueTimes = 1 + NOWCAST_DAYS.length
    const weightsAt: number[][] = []
    for (let i = 0; i < issueTimes; i++) {
      if (past.length < ENSEMBLE_MIN_WINDOWS) {
        weightsAt.push(members.map(() => 1 / members.length))
        continue
      }
      const terms = poolTerms(
        past.map((o) => ({ origin: o, actual: index[0]!.get(o)!.metrics.actual_week, atoms: index.map((ix) => atomsOf(ix.get(o)!.totals[i]!)) })),
        members.length
      )
      weightsAt.push([...fitLinearPool(terms).weights])
    }
    const samples = weightsAt.map((w, i) => poolSorted(at.map((m) => m.totals[i]!), w))
    const hourlyMean = new Float64Array(WEEK_HOURS)
    at.forEach((m, j) => m.forecast.hourlyMean.forEach((v, h) => (hourlyMean[h]! += weightsAt[0]![j]! * v)))
    out.push({
      ...scoreDerived(ENSEMBLE, origin, samples, hourlyMean, actuals.get(origin)!, runSeed, at[0]!.nowcasts.map((n) => n.observed)),
      weights: { members, weights: weightsAt[0]!, windows: past.length }
    })
  }
  return out
}
