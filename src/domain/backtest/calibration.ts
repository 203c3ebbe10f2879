/**
 * Recalibration of a predictive distribution from the model's own past errors (docs/models/calibration.md).
 *
 * Quantile mapping through the PIT: if a model's past PIT values u_1..u_m (its predictive CDF at the
 * outcomes of earlier windows, at the same issue-time offset) are not uniform, the recalibrated CDF is
 * G(F(x)), with G the smoothed empirical CDF of those PITs: piecewise linear through (0, 0),
 * (u_(i), i/(m+1)) and (1, 1) — the plotting positions i/(m+1) need no tuning constant. Its quantile
 * at level p is F⁻¹(G⁻¹(p)): the raw sample's quantile at the level the past errors say p really is.
 * With uniform past PITs G is close to the identity and the forecast is left almost as it was.
 *
 * Only windows whose week ended by the issue time may be used (the caller selects them).
 */
import { quantileSorted } from "../stats/quantile"

/** Fewest past windows calibration needs; with fewer the raw forecast is used unchanged. */
export const CALIBRATION_MIN_WINDOWS = 10
/** Most recent past windows used: about a year of weekly origins. */
export const CALIBRATION_MAX_WINDOWS = 52

/** G⁻¹ of the smoothed empirical CDF of `pits` (each in [0, 1]). */
export const pitQuantileFunction = (pits: ReadonlyArray<number>): ((p: number) => number) => {
  const u = [...pits].sort((a, b) => a - b)
  const m = u.length
  // knots (x = PIT value, y = G(x)), increasing in both
  const xs = [0, ...u, 1]
  const ys = [0, ...u.map((_, i) => (i + 1) / (m + 1)), 1]
  return (p: number): number => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`level must be in [0, 1], got ${p}`)
    let lo = 0
    let hi = ys.length - 1
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1
      if (ys[mid]! <= p) lo = mid
      else hi = mid
    }
    const dy = ys[hi]! - ys[lo]!
    return dy > 0 ? xs[lo]! + ((p - ys[lo]!) / dy) * (xs[hi]! - xs[lo]!) : xs[lo]!
  }
}

/**
 * The recalibrated distribution as an ascending sample of `size` values: the raw sample's quantiles at
 * G⁻¹((j + ½) / size). Returns the raw sample unchanged when there are fewer than
 * CALIBRATION_MIN_WINDOWS past PITs.
 */
export const recalibrateSorted = (rawSorted: Float64Array, pastPits: ReadonlyArray<number>, size = rawSorted.length): Float64Array => {
  if (pastPits.length < CALIBRATION_MIN_WINDOWS) return rawSorted
  const ginv = pitQuantileFunction(pastPits)
  const out = new Float64Array(size)
  for (let j = 0; j < size; j++) out[j] = quantileSorted(rawSorted, ginv((j + 0.5) / size))
  return out
}
