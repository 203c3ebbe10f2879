/**
 * The seed's rolling-variance detector, made precise.
 *
 * On each day t (using days ≤ t only; the detection is stamped detectedAt = 00:00 UTC of day t + 1):
 *  - candidate window: the last m = `sustainDays` days [t − m + 1, t];
 *  - reference window: the W = `referenceDays` days just before it, [t − m − W + 1, t − m], never
 *    reaching before the previous detected regime start (after a shift the reference refills with
 *    the new regime, so the next detection comes W + m days later at the earliest);
 *  - z = (mean(candidate) − mean(reference)) / (sd(reference) / √m), on daily counts (`transform`
 *    "identity", default) or on log1p / sqrt counts;
 *  - a shift is flagged when |z| ≥ k: the level moved by more than k standard errors of an m-day mean
 *    and stayed there for the m days (a one-day spike moves the m-day mean by only 1/m of its size).
 * The new regime's first day is the candidate window's first day (accurate to about m days).
 * Why counts and not logs: a one- or two-day outage (0 posts in a 150-a-day regime) is a −5 jump on the
 * log scale and fires a log-scale detector; on counts it is one low day among seven. Because daily
 * counts are overdispersed (sd roughly proportional to the level), sd(reference) already makes z a
 * relative measure. Daily counts are autocorrelated and carry a weekly cycle, so z is not a calibrated
 * test statistic: k = 4 and m = 7 (a full weekly cycle) keep false alarms rare; `probability` is
 * reported as 2Φ(|z|) − 1 for comparison only.
 */
import { DAY_MS } from "../time"
import { dayStartOf, meanOfDays, type DailySeries } from "./daily"
import type { RegimeDetection } from "./types"

export interface RollingVarianceOptions {
  readonly referenceDays: number
  readonly sustainDays: number
  readonly k: number
  /** Scale the means and sd are computed on. */
  readonly transform: "log1p" | "sqrt" | "identity"
}

export const DEFAULT_ROLLING_VARIANCE: RollingVarianceOptions = { referenceDays: 28, sustainDays: 7, k: 4, transform: "identity" }

/** Standard normal CDF through erfc (Numerical Recipes' Chebyshev erfcc, fractional error < 1.2e-7). */
export const normalCdf = (z: number): number => {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.5 * x)
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    )
  return z >= 0 ? 1 - erfc / 2 : erfc / 2
}

export interface RollingVarianceStep {
  /** z of day t, or null while the reference window is not full. */
  readonly z: number | null
}

export interface RollingVarianceResult {
  readonly detections: ReadonlyArray<RegimeDetection>
  readonly trace: ReadonlyArray<RollingVarianceStep>
}

export const rollingVariance = (series: DailySeries, options: Partial<RollingVarianceOptions> = {}): RollingVarianceResult => {
  const o = { ...DEFAULT_ROLLING_VARIANCE, ...options }
  const { referenceDays: W, sustainDays: m, k } = o
  if (!(Number.isInteger(W) && W >= 2)) throw new RangeError(`referenceDays must be an integer ≥ 2, got ${W}`)
  if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`sustainDays must be a positive integer, got ${m}`)
  if (!(k > 0)) throw new RangeError(`k must be > 0, got ${k}`)
  const x = series.counts
  const f = o.transform === "log1p" ? Math.log1p : o.transform === "sqrt" ? Math.sqrt : (c: number) => c
  const y = Float64Array.from(x, (c) => f(c))
  const trace: RollingVarianceStep[] = []
  const detections: RegimeDetection[] = []
  let regimeStart = 0
  for (let t = 0; t < x.length; t++) {
    const c = t - m + 1 // candidate start
    const r0 = c - W // reference start
    if (r0 < regimeStart) {
      trace.push({ z: null })
      continue
    }
    let mu = 0
    for (let i = r0; i < c; i++) mu += y[i]!
    mu /= W
    let v = 0
    for (let i = r0; i < c; i++) v += (y[i]! - mu) ** 2
    const sd = Math.sqrt(v / (W - 1))
    let cand = 0
    for (let i = c; i <= t; i++) cand += y[i]!
    cand /= m
    // a perfectly flat reference (sd 0) makes any move significant
    const se = Math.max(sd, 1e-9) / Math.sqrt(m)
    const z = (cand - mu) / se
    trace.push({ z })
    if (Math.abs(z) < k) continue
    detections.push({
      detector: "rolling_variance",
      dayStart: dayStartOf(series, c),
      detectedAt: dayStartOf(series, t) + DAY_MS,
      probability: 2 * normalCdf(Math.abs(z)) - 1,
      runLength: null,
      levelBefore: meanOfDays(x, r0, c),
      levelAfter: meanOfDays(x, c, t + 1)
    })
    regimeStart = c
  }
  return { detections, trace }
}
