/**
 * Which backtest windows the ensemble weights are fitted on. Candidates are the models the backtest
 * evaluated (in the registry's order); the windows are the origins at which every candidate was
 * evaluated. When no origin is shared by all, the candidate with the fewest windows is dropped (ties:
 * the later in order) until one is. Each window's atoms are the model's recorded week-total percentiles.
 */
import { MODEL_KINDS, type ModelKind } from "../models/model"
import type { PoolWindow } from "./ensemble"

export interface BacktestWindowAtoms {
  readonly model: ModelKind
  readonly origin: number
  /** Actual week total at that origin. */
  readonly actual: number
  /** Week-total quantiles {level, value} as recorded (levels ascending). */
  readonly quantiles: ReadonlyArray<{ readonly level: number; readonly value: number }>
}

export interface PoolData {
  readonly candidates: ReadonlyArray<ModelKind>
  readonly origins: ReadonlyArray<number>
  readonly windows: ReadonlyArray<PoolWindow>
}

/** Equally spaced levels k/(n+1), k = 1..n: only then are the quantiles equally likely atoms. */
const equallySpaced = (levels: ReadonlyArray<number>): boolean =>
  levels.length >= 9 && levels.every((l, k) => Math.abs(l - (k + 1) / (levels.length + 1)) < 1e-9)

export const selectPoolData = (rows: ReadonlyArray<BacktestWindowAtoms>): PoolData | string => {
  const byModel = new Map<ModelKind, Map<number, BacktestWindowAtoms>>()
  for (const r of rows) {
    if (!equallySpaced(r.quantiles.map((q) => q.level)))
      return `the backtest window of ${r.model} at ${new Date(r.origin).toISOString()} records ${r.quantiles.length} week-total quantiles, not equally spaced percentiles; re-run \`musktracker train\``
    let m = byModel.get(r.model)
    if (m === undefined) byModel.set(r.model, (m = new Map()))
    m.set(r.origin, r)
  }
  let candidates = MODEL_KINDS.filter((k) => (byModel.get(k)?.size ?? 0) > 0)
  if (candidates.length === 0) return "the latest backtest has no evaluated windows"
  const shared = (cs: ReadonlyArray<ModelKind>) =>
    [...byModel.get(cs[0]!)!.keys()].filter((o) => cs.every((k) => byModel.get(k)!.has(o))).sort((a, b) => a - b)
  let origins = shared(candidates)
  while (origins.length === 0 && candidates.length > 1) {
    let drop = candidates[0]!
    for (const k of candidates) if (byModel.get(k)!.size <= byModel.get(drop)!.size) drop = k
    candidates = candidates.filter((k) => k !== drop)
    origins = shared(candidates)
  }
  const windows = origins.map((o) => ({
    origin: o,
    actual: byModel.get(candidates[0]!)!.get(o)!.actual,
    atoms: candidates.map((k) => byModel.get(k)!.get(o)!.quantiles.map((q) => q.value))
  }))
  return { candidates, origins, windows }
}
