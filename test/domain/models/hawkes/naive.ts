/**
 * Independent O(N²) Hawkes log-likelihood for cross-checks: direct kernel sums (j < i in index order,
 * so ties excite later events with αβ) and the baseline integrated hour by hour from the definition.
 */
import type { HawkesParams } from "../../../../src/domain/models/hawkes/index"
import { HOUR_MS, dayOfWeek, hourOfDay } from "../../../../src/domain/time"

export const naiveLogLik = (
  baseline: "constant" | "hour_of_day" | "hour_of_day_day_of_week",
  windowStartMs: number,
  T: number,
  times: ArrayLike<number>,
  params: HawkesParams,
  exogenous?: ArrayLike<number>
): number => {
  const muAt = (hour: number): number => {
    const ms = windowStartMs + hour * HOUR_MS
    let m = baseline === "constant" ? params.mu[0]! : params.mu[hourOfDay(ms)]!
    if (baseline === "hour_of_day_day_of_week") m *= params.dayOfWeek![dayOfWeek(ms)]!
    const x = exogenous !== undefined && hour < exogenous.length ? exogenous[hour]! : 0
    return m * Math.exp(params.gamma * x)
  }
  const { alpha, beta } = params
  let ll = 0
  for (let i = 0; i < times.length; i++) {
    let s = 0
    for (let j = 0; j < i; j++) s += Math.exp(-beta * (times[i]! - times[j]!))
    ll += Math.log(muAt(Math.floor(times[i]!)) + alpha * beta * s)
  }
  let comp = 0
  for (let k = 0; k < Math.ceil(T); k++) comp += muAt(k) * Math.min(1, T - k)
  for (let i = 0; i < times.length; i++) comp += alpha * (1 - Math.exp(-beta * (T - times[i]!)))
  return ll - comp
}
