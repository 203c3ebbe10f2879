/**
 * Goodness of fit by time rescaling (Brown et al. 2002; Ogata 1988): under the fitted model the
 * compensator increments τ_i = Λ(t_i) − Λ(t_{i−1}) (t_0 = 0) are i.i.d. Exp(1), so u_i = 1 − e^{−τ_i}
 * are i.i.d. U(0,1); the Kolmogorov–Smirnov statistic of the u_i measures the misfit.
 *
 * Λ between events is exact: the baseline part integrates the hourly piecewise-constant μ, the
 * excitation part is α (1 + A_{i−1}) (1 − e^{−β d_i}).
 */
import type { HawkesData } from "./data"

/**
 * Compensator increments τ_i for each event, given μ per hour of the window (`hourlyMu[k]` for hour k,
 * at least ceil(T) values).
 */
export const rescaledIntervals = (data: HawkesData, hourlyMu: Float64Array, alpha: number, beta: number): Float64Array => {
  const { times } = data
  const n = times.length
  // Cumulative baseline integral at whole hours: M(k) = Σ_{j<k} μ_j.
  const nh = hourlyMu.length
  const cum = new Float64Array(nh + 1)
  for (let k = 0; k < nh; k++) cum[k + 1] = cum[k]! + hourlyMu[k]!
  const tau = new Float64Array(n)
  let A = -1 // 1 + A = 0 before the first event
  let prev = 0
  let mPrev = 0
  for (let i = 0; i < n; i++) {
    const t = times[i]!
    const d = t - prev
    const a1 = 1 + A
    const k = Math.min(Math.floor(t), nh - 1)
    const mt = cum[k]! + hourlyMu[k]! * (t - k)
    // −expm1(−βd) = 1 − e^{−βd} without cancellation for small gaps.
    const decay = -Math.expm1(-beta * d)
    tau[i] = mt - mPrev + alpha * a1 * decay
    A = (1 - decay) * a1
    prev = t
    mPrev = mt
  }
  return tau
}

export interface KsResult {
  readonly n: number
  readonly statistic: number
  /** Asymptotic p-value (Kolmogorov distribution with Stephens' small-sample correction). */
  readonly pValue: number
}

/** One-sample KS test of Exp(1) residuals (via u = 1 − e^{−τ} against U(0,1)). */
export const ksExponential = (tau: Float64Array): KsResult => {
  const n = tau.length
  if (n === 0) return { n, statistic: 0, pValue: 1 }
  const raw = new Float64Array(n)
  for (let i = 0; i < n; i++) raw[i] = -Math.expm1(-tau[i]!)
  const u = sortUnitInterval(raw)
  let D = 0
  for (let i = 0; i < n; i++) D = Math.max(D, (i + 1) / n - u[i]!, u[i]! - i / n)
  const sn = Math.sqrt(n)
  return { n, statistic: D, pValue: kolmogorovQ((sn + 0.12 + 0.11 / sn) * D) }
}

/**
 * Ascending sort of values in [0, 1] by bucket sort (n buckets, insertion sort inside each): O(n) for
 * roughly uniform values, which is what residuals of a sensible fit are. Node's TypedArray#sort takes
 * ~25 ms on 70k doubles, more than the whole likelihood maximisation needs per start. Crowded buckets
 * (a very bad fit) fall back to the built-in sort, so the worst case stays O(n log n).
 */
const sortUnitInterval = (values: Float64Array): Float64Array => {
  const n = values.length
  const start = new Int32Array(n + 1)
  const bucket = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const b = Math.min(n - 1, Math.max(0, Math.floor(values[i]! * n)))
    bucket[i] = b
    start[b + 1]! += 1
  }
  for (let b = 0; b < n; b++) start[b + 1]! += start[b]!
  const fill = start.slice(0, n)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const b = bucket[i]!
    out[fill[b]!] = values[i]!
    fill[b]! += 1
  }
  for (let b = 0; b < n; b++) {
    const lo = start[b]!
    const hi = start[b + 1]!
    if (hi - lo > 32) {
      out.subarray(lo, hi).sort()
      continue
    }
    for (let i = lo + 1; i < hi; i++) {
      const x = out[i]!
      let j = i - 1
      while (j >= lo && out[j]! > x) {
        out[j + 1] = out[j]!
        j--
      }
      out[j + 1] = x
    }
  }
  return out
}

/** Q(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2 j² λ²}, the Kolmogorov survival function. */
const kolmogorovQ = (lambda: number): number => {
  if (lambda < 0.2) return 1
  let s = 0
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda)
    s += (j % 2 === 1 ? 1 : -1) * term
    if (term < 1e-16) break
  }
  return Math.min(1, Math.max(0, 2 * s))
}
