/**
 * CRPS of a sample (ensemble) forecast: CRPS(F̂, y) = E|X − y| − ½ E|X − X′| with X, X′ drawn
 * independently from the empirical distribution F̂ of the n samples (both expectations are plain
 * averages over all n and n² pairs). This is exactly the CRPS of the empirical CDF; the "fair"
 * variant with n(n−1) would differ by a factor n/(n−1) in the second term (< 0.05% at n = 2000).
 *
 * With the samples sorted ascending x_(0) ≤ … ≤ x_(n−1):
 *   Σ_i Σ_j |x_i − x_j| = 2 Σ_i (2i − n + 1) x_(i),
 * so the whole score costs one sort, O(n log n), instead of n² pairs.
 */
import { sortedCopy } from "../stats/quantile"

/** CRPS from samples that are already sorted ascending. */
export const crpsSorted = (sorted: ArrayLike<number>, y: number): number => {
  const n = sorted.length
  if (n === 0) throw new RangeError("CRPS of an empty sample")
  let absErr = 0
  let spread = 0
  for (let i = 0; i < n; i++) {
    const x = sorted[i]!
    absErr += Math.abs(x - y)
    spread += (2 * i - n + 1) * x
  }
  // ½ E|X − X′| = ½ · (2/n²) Σ (2i − n + 1) x_(i)
  return absErr / n - spread / (n * n)
}

/** CRPS from samples in any order (sorts a copy). */
export const crpsSamples = (samples: ArrayLike<number>, y: number): number => crpsSorted(sortedCopy(samples), y)
