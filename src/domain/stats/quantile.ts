/** Empirical quantiles: the one definition used everywhere (Hyndman & Fan type 7, as numpy's default). */

/** Quantile p in [0,1] of an ascending-sorted array. */
export const quantileSorted = (sorted: ArrayLike<number>, p: number): number => {
  const n = sorted.length
  if (n === 0) throw new RangeError("quantile of an empty sample")
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile level must be in [0,1], got ${p}`)
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

/** Sorted copy as a Float64Array (numeric sort). */
export const sortedCopy = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort()

export const mean = (values: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i]!
  return s / values.length
}
