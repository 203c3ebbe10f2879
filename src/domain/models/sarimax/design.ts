/**
 * From model inputs to the arrays the filter consumes: the transformed series, the regressors and the
 * trend columns.
 *
 * Weekly Fourier regressors use the hour of week h ∈ {0..167} (Monday 00:00 UTC = 0) of each hour, not
 * the hours since the window start, so the same hour always gets the same regressor values whatever
 * the origin (the reference vectors start on a Monday 00:00, where both definitions coincide).
 */
import { HOUR_MS, hourOfWeek } from "../../time"
import type { FilterData } from "./kalman"
import type { CountTransform, SarimaxTrend } from "./spec"

export const transformCount = (x: number, tr: CountTransform): number =>
  tr === "log1p" ? Math.log1p(x) : tr === "sqrt" ? Math.sqrt(x) : x

/** Back to counts, clipped at 0 (the Gaussian model can go below the transform's floor). */
export const backTransform = (z: number, tr: CountTransform): number => {
  if (tr === "log1p") return z > 0 ? Math.expm1(z) : 0
  if (tr === "sqrt") return z > 0 ? z * z : 0
  return z > 0 ? z : 0
}

export interface Regressors {
  readonly names: string[]
  /** hours × names.length, row-major. */
  readonly values: Float64Array
}

/** Fourier regressors (and optionally the exogenous intensity) for `hours` hours from `startMs`. */
export const buildRegressors = (
  startMs: number,
  hours: number,
  harmonics: number,
  exogenous: { readonly values: ArrayLike<number>; readonly startMs: number } | undefined
): Regressors => {
  const names: string[] = []
  for (let k = 1; k <= harmonics; k++) names.push(`fourier_sin${k}`, `fourier_cos${k}`)
  if (exogenous !== undefined) names.push("exogenous")
  const kx = names.length
  const values = new Float64Array(hours * kx)
  for (let t = 0; t < hours; t++) {
    const ms = startMs + t * HOUR_MS
    const h = hourOfWeek(ms)
    for (let k = 1; k <= harmonics; k++) {
      const ang = (2 * Math.PI * k * h) / 168
      values[t * kx + 2 * (k - 1)] = Math.sin(ang)
      values[t * kx + 2 * (k - 1) + 1] = Math.cos(ang)
    }
    if (exogenous !== undefined) {
      const j = Math.round((ms - exogenous.startMs) / HOUR_MS)
      const v = j >= 0 && j < exogenous.values.length ? exogenous.values[j]! : 0
      values[t * kx + kx - 1] = Number.isFinite(v) ? v : 0
    }
  }
  return { names, values }
}

export const trendTerms = (trend: SarimaxTrend): number => (trend === "ct" ? 2 : trend === "n" ? 0 : 1)

/**
 * Trend regressors τ_j(t) for 0-based t: constant 1 and/or time index t + offset (statsmodels uses
 * offset 1 from the first observation; `offset` shifts it when the window starts later than the anchor).
 */
export const trendValue = (trend: SarimaxTrend, j: number, t: number, offset: number): number =>
  trend === "c" || (trend === "ct" && j === 0) ? 1 : t + offset

/**
 * Filter columns: [y, trend terms (state side: intercept −τ_j), regressors (observation side)].
 * With b = (trend coefficients, regressor coefficients) the innovation is v⁽⁰⁾ − Σ b_c v⁽ᶜ⁾.
 */
export const filterData = (
  y: Float64Array,
  trend: SarimaxTrend,
  trendOffset: number,
  regressors: Float64Array,
  kx: number
): FilterData => {
  const n = y.length
  const kt = trendTerms(trend)
  const cols = 1 + kt + kx
  const data = new Float64Array(n * cols)
  const intercept = kt > 0 ? new Float64Array(n * cols) : undefined
  for (let t = 0; t < n; t++) {
    data[t * cols] = y[t]!
    for (let j = 0; j < kt; j++) intercept![t * cols + 1 + j] = -trendValue(trend, j, t, trendOffset)
    for (let k = 0; k < kx; k++) data[t * cols + 1 + kt + k] = regressors[t * kx + k]!
  }
  return intercept === undefined ? { n, cols, data } : { n, cols, data, intercept }
}
