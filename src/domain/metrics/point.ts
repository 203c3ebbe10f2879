/** Point-forecast errors. Every function takes equal-length arrays and throws on a mismatch or empty input. */

const checkPair = (forecast: ArrayLike<number>, actual: ArrayLike<number>): number => {
  if (forecast.length !== actual.length) throw new RangeError(`forecast has ${forecast.length} values, actual ${actual.length}`)
  if (forecast.length === 0) throw new RangeError("no values to score")
  return forecast.length
}

/** Mean absolute error: (1/n) Σ |f_t − y_t|. */
export const mae = (forecast: ArrayLike<number>, actual: ArrayLike<number>): number => {
  const n = checkPair(forecast, actual)
  let s = 0
  for (let i = 0; i < n; i++) s += Math.abs(forecast[i]! - actual[i]!)
  return s / n
}

/** Root mean squared error: sqrt((1/n) Σ (f_t − y_t)²). */
export const rmse = (forecast: ArrayLike<number>, actual: ArrayLike<number>): number => {
  const n = checkPair(forecast, actual)
  let s = 0
  for (let i = 0; i < n; i++) s += (forecast[i]! - actual[i]!) ** 2
  return Math.sqrt(s / n)
}

export { seasonalNaiveScale } from "../stats/seasonal"

/**
 * Mean absolute scaled error: MAE of the forecast divided by `scale` (see seasonalNaiveScale).
 * Undefined (returns null) when the scale is 0: a training window that repeats itself exactly has no
 * naive error to scale by.
 */
export const mase = (forecast: ArrayLike<number>, actual: ArrayLike<number>, scale: number): number | null =>
  scale > 0 ? mae(forecast, actual) / scale : null

/** Sum of an array (window total). */
export const total = (values: ArrayLike<number>, from = 0, to = values.length): number => {
  let s = 0
  for (let i = from; i < to; i++) s += values[i]!
  return s
}
