/** Seasonal statistics shared by the models and the metrics (kept here so neither imports the other). */

/**
 * MASE scale (Hyndman & Koehler 2006, seasonal form): the in-sample MAE of the weekly seasonal naive
 * rule over the training window, (1/(n−m)) Σ_{t=m}^{n−1} |y_t − y_{t−m}| with m = 168 hours by default.
 */
export const seasonalNaiveScale = (training: ArrayLike<number>, season = 168): number => {
  if (training.length <= season) throw new RangeError(`the MASE scale needs more than ${season} training values, got ${training.length}`)
  let s = 0
  for (let t = season; t < training.length; t++) s += Math.abs(training[t]! - training[t - season]!)
  return s / (training.length - season)
}
