/**
 * Probability integral transform of an outcome under a sample forecast, and a calibration histogram.
 *
 * For a continuous forecast F the PIT F(y) is uniform when F is the true distribution. Counts are
 * discrete, so F jumps at y; the randomised PIT (Czado, Gneiting & Held 2009) spreads the jump:
 *   u = F(y⁻) + V · (F(y) − F(y⁻)),   V ~ Uniform(0, 1) independent of y,
 * with F the empirical CDF of the samples: F(y⁻) = #{x < y}/n, F(y) = #{x ≤ y}/n.
 * This form also covers non-integer samples (no jump unless a sample equals y).
 */

/** Number of entries of an ascending array that are < y (strict) or ≤ y (inclusive). */
const countBelow = (sorted: ArrayLike<number>, y: number, inclusive: boolean): number => {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const x = sorted[mid]!
    if (x < y || (inclusive && x === y)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Randomised PIT of y under sorted samples, with the uniform draw `v` ∈ [0, 1) supplied by the caller. */
export const randomizedPit = (sorted: ArrayLike<number>, y: number, v: number): number => {
  const n = sorted.length
  if (n === 0) throw new RangeError("PIT of an empty sample")
  if (!(v >= 0 && v <= 1)) throw new RangeError(`v must be in [0,1], got ${v}`)
  const below = countBelow(sorted, y, false)
  const atOrBelow = countBelow(sorted, y, true)
  return (below + v * (atOrBelow - below)) / n
}

export interface PitHistogram {
  /** Counts per equal-width bin on [0, 1]; u = 1 falls in the last bin. */
  readonly counts: ReadonlyArray<number>
  /** counts / total. */
  readonly frequencies: ReadonlyArray<number>
  /** Pearson χ² against the uniform (expected total/bins per bin), with bins − 1 degrees of freedom. */
  readonly chiSquare: number
  readonly degreesOfFreedom: number
}

export const pitHistogram = (pits: ArrayLike<number>, bins = 10): PitHistogram => {
  if (!(Number.isInteger(bins) && bins > 0)) throw new RangeError(`bins must be a positive integer, got ${bins}`)
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < pits.length; i++) {
    const u = pits[i]!
    if (!(u >= 0 && u <= 1)) throw new RangeError(`PIT value out of [0,1]: ${u}`)
    counts[Math.min(bins - 1, Math.floor(u * bins))]! += 1
  }
  const n = pits.length
  const expected = n / bins
  const chiSquare = n > 0 ? counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0) : 0
  return { counts, frequencies: counts.map((c) => (n > 0 ? c / n : 0)), chiSquare, degreesOfFreedom: bins - 1 }
}
