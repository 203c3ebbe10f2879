/**
 * Log score of a count outcome, negatively oriented: LS = −log p(y) in nats (lower is better, like CRPS).
 *
 * A model that has a predictive pmf can be scored on it directly (logScoreFromLogPmf). Otherwise the pmf
 * is a kernel smoothing of the Monte Carlo samples on the integers:
 *
 *   p̂(y) = (1/n) Σ_i K(y − round(x_i)),   K(k) = (1 − q)/(1 + q) · q^|k|,  k ∈ ℤ,
 *
 * a discrete Laplace (two-sided geometric) kernel. Its variance is 2q/(1 − q)²; q is set so that its
 * standard deviation equals Silverman's bandwidth h = 0.9 · min(sd, IQR/1.34) · n^(−1/5) (sd alone when
 * the IQR is 0), floored at h = 1 count. Why this kernel: it is a proper pmf on ℤ (sums to 1), it has
 * exponential tails, so an outcome outside the sample range gets a small but finite probability whose
 * log decreases linearly with the distance (a Gaussian kernel would underflow to −∞ a few bandwidths
 * out), and the log is computed exactly in log space (log-sum-exp), never through an underflowed sum.
 * Non-integer samples (e.g. back-transformed SARIMAX paths) are rounded to the nearest integer first.
 */
import { quantileSorted, sortedCopy } from "../stats/quantile"

/** Silverman's rule-of-thumb bandwidth for sorted samples, floored at `minBandwidth`. */
export const silvermanBandwidth = (sorted: ArrayLike<number>, minBandwidth = 1): number => {
  const n = sorted.length
  if (n === 0) throw new RangeError("bandwidth of an empty sample")
  let m = 0
  for (let i = 0; i < n; i++) m += sorted[i]!
  m /= n
  let v = 0
  for (let i = 0; i < n; i++) v += (sorted[i]! - m) ** 2
  const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0
  const iqr = n > 1 ? quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25) : 0
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd
  return Math.max(minBandwidth, 0.9 * spread * Math.pow(n, -0.2))
}

/** The q of a discrete Laplace kernel whose standard deviation is h (h > 0): root of h²q² − 2(h² + 1)q + h² = 0 in (0, 1). */
export const discreteLaplaceQ = (h: number): number => {
  if (!(h > 0)) throw new RangeError(`bandwidth must be > 0, got ${h}`)
  const h2 = h * h
  // Stable form of ((h²+1) − sqrt(2h²+1))/h²: multiply by the conjugate.
  return h2 / (h2 + 1 + Math.sqrt(2 * h2 + 1))
}

export interface SmoothedPmf {
  readonly q: number
  readonly bandwidth: number
  /** log p̂(y) for an integer y. */
  readonly logPmf: (y: number) => number
}

/** The smoothed pmf of a sample (see the module comment). */
export const smoothedSamplePmf = (samples: ArrayLike<number>, minBandwidth = 1): SmoothedPmf => {
  const sorted = sortedCopy(samples)
  const n = sorted.length
  const bandwidth = silvermanBandwidth(sorted, minBandwidth)
  const q = discreteLaplaceQ(bandwidth)
  const logQ = Math.log(q)
  const logNorm = Math.log((1 - q) / (1 + q)) - Math.log(n)
  const points = sorted.map(Math.round)
  const logPmf = (y: number): number => {
    if (!Number.isInteger(y)) throw new RangeError(`the smoothed pmf is on the integers, got ${y}`)
    let dMin = Infinity
    for (let i = 0; i < n; i++) dMin = Math.min(dMin, Math.abs(y - points[i]!))
    let s = 0
    for (let i = 0; i < n; i++) s += Math.exp((Math.abs(y - points[i]!) - dMin) * logQ)
    return logNorm + dMin * logQ + Math.log(s)
  }
  return { q, bandwidth, logPmf }
}

/** −log p̂(y) under the smoothed sample pmf. */
export const logScoreFromSamples = (samples: ArrayLike<number>, y: number, minBandwidth = 1): number =>
  -smoothedSamplePmf(samples, minBandwidth).logPmf(y)

/** −log p(y) under a model's own log pmf. */
export const logScoreFromLogPmf = (logPmf: (y: number) => number, y: number): number => -logPmf(y)
