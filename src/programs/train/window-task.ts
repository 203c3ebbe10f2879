/**
 * One backtest window: fit a model at an origin on its as-of inputs, forecast the protocol's week with
 * seeded Monte Carlo paths, and score it against the actuals. Runs inside a worker thread (see
 * src/adapters/workers/pool.ts), so its argument and result are plain structured-clonable data.
 * Everything but the wall-clock timing is a pure function of the task.
 */
import { performance } from "node:perf_hooks"
import { evaluateForecast, WEEK_HOURS, type WindowMetrics } from "../../domain/metrics/evaluate"
import { quantileSorted } from "../../domain/stats/quantile"
import { summarizePaths, type ModelInputs, type ModelKind } from "../../domain/models/model"
import { modelEntry } from "../../domain/models/registry"

export interface WindowTask {
  readonly kind: ModelKind
  readonly spec: Record<string, unknown>
  readonly inputs: ModelInputs
  /** Hourly actuals [origin, origin + 168 h). */
  readonly actual: Float64Array
  /** Hours of `inputs.hourly` that form the training window (the rest before it is warm-up). */
  readonly trainHours: number
  readonly paths: number
  readonly seed: number
}

export type WindowResult =
  | {
      readonly ok: true
      readonly kind: ModelKind
      readonly origin: number
      readonly metrics: WindowMetrics
      readonly forecast: { readonly hourlyMean: number[]; readonly totalQuantiles: { level: number; value: number }[]; readonly totalMean: number }
      readonly fitSeconds: number
    }
  | { readonly ok: false; readonly kind: ModelKind; readonly origin: number; readonly reason: string; readonly fitSeconds: number }

/**
 * The week-total distribution is recorded as its percentiles 1..99: enough to score a linear pool of
 * models later (the ensemble's weights are fitted on them) without storing every path.
 */
export const WINDOW_TOTAL_LEVELS: ReadonlyArray<number> = Array.from({ length: 99 }, (_, i) => (i + 1) / 100)

export const runWindowTask = (task: WindowTask): WindowResult => {
  const { kind, inputs } = task
  const t0 = performance.now()
  try {
    const entry = modelEntry(kind)
    const { model } = entry
    const fitted = model.fit(inputs, task.spec)
    const paths = model.forecast(fitted, inputs, WEEK_HOURS, { paths: task.paths, seed: task.seed })
    const fitSeconds = (performance.now() - t0) / 1000
    const summary = summarizePaths(paths)
    const counts = inputs.hourly.counts
    const exactMean = entry.exactMean?.(fitted, inputs, WEEK_HOURS)
    const metrics = evaluateForecast(summary, task.actual, {
      trainingCounts: counts.subarray(Math.max(0, counts.length - task.trainHours)),
      pitSeed: task.seed,
      ...(exactMean !== undefined && { exactMean })
    })
    return {
      ok: true,
      kind,
      origin: inputs.origin,
      metrics,
      forecast: {
        hourlyMean: Array.from(exactMean ?? summary.hourlyMean),
        totalQuantiles: WINDOW_TOTAL_LEVELS.map((level) => ({ level, value: quantileSorted(summary.totals, level) })),
        totalMean: exactMean !== undefined ? exactMean.reduce((a, b) => a + b, 0) : summary.totalMean
      },
      fitSeconds
    }
  } catch (e) {
    return { ok: false, kind, origin: inputs.origin, reason: e instanceof Error ? e.message : String(e), fitSeconds: (performance.now() - t0) / 1000 }
  }
}
