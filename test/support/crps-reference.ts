/**
 * The independent reference CRPS for tests: the definition E|X − y| − ½ E|X − X′| over all pairs of an
 * empirical sample, O(n²) — nothing shared with the O(n log n) implementation under test.
 */
export const crpsByDefinition = (xs: ArrayLike<number>, y: number): number => {
  const n = xs.length
  let a = 0
  let b = 0
  for (let i = 0; i < n; i++) {
    a += Math.abs(xs[i]! - y)
    for (let j = 0; j < n; j++) b += Math.abs(xs[i]! - xs[j]!)
  }
  return a / n - b / (2 * n * n)
}
