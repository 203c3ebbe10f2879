/**
 * The hour-of-week profile that spreads a level model's daily totals over hours (docs/models/level.md).
 *
 * Weight of hour-of-week j (0 = Monday 00:00 UTC): w_j = 168 (c_j + 1) / Σ_i (c_i + 1), where c_j counts
 * the tweets of that hour-of-week in the PROFILE_WEEKS weeks before the origin (the +1 keeps an hour
 * that happened to be empty possible). Weights average 1 over a week. A 24 h block's factor is the mean
 * weight of its hours, so day-of-week effects follow from the profile; inside a block, a total is spread
 * over its hours multinomially with probabilities proportional to their weights.
 */
import type { Rng } from "../../random"
import { HOUR_MS } from "../../time"
import type { HourlySeries } from "../model"
import { BLOCK_HOURS } from "./blocks"

export const PROFILE_WEEKS = 8
const WEEK_HOURS = 168
/** 1970-01-01 was a Thursday: hour-of-week 0 (Monday 00:00) is 72 h before the epoch's hour 0 modulo a week. */
const EPOCH_HOUR_OF_WEEK = 72

/** Hour of the week (0 = Monday 00:00 UTC) of an instant on a UTC hour. */
export const hourOfWeek = (ms: number): number => (((Math.floor(ms / HOUR_MS) + EPOCH_HOUR_OF_WEEK) % WEEK_HOURS) + WEEK_HOURS) % WEEK_HOURS

/** The 168 weights (mean 1) from the last PROFILE_WEEKS weeks of `hourly` (fewer when it is shorter). */
export const hourOfWeekProfile = (hourly: HourlySeries): Float64Array => {
  const c = hourly.counts
  const from = Math.max(0, c.length - PROFILE_WEEKS * WEEK_HOURS)
  const counts = new Float64Array(WEEK_HOURS).fill(1)
  for (let h = from; h < c.length; h++) counts[hourOfWeek(hourly.start + h * HOUR_MS)]! += c[h]!
  let total = 0
  for (const v of counts) total += v
  for (let j = 0; j < WEEK_HOURS; j++) counts[j] = (WEEK_HOURS * counts[j]!) / total
  return counts
}

/** Mean profile weight of the 24 hours starting at `start` (a block's day-of-week factor). */
export const blockFactor = (profile: ArrayLike<number>, start: number): number => {
  let s = 0
  const j0 = hourOfWeek(start)
  for (let h = 0; h < BLOCK_HOURS; h++) s += profile[(j0 + h) % WEEK_HOURS]!
  return s / BLOCK_HOURS
}

/**
 * Spreads `total` events over `hours` consecutive hours from `start` (an exact multinomial draw with
 * probabilities proportional to the profile weights) and adds them into `out` from `offset`.
 * Each event costs one uniform and a binary search over the cumulative weights.
 */
export const spreadOverHours = (
  total: number,
  profile: ArrayLike<number>,
  start: number,
  hours: number,
  rng: Rng,
  out: Float64Array,
  offset: number,
  cumulative: Float64Array
): void => {
  if (total <= 0 || hours <= 0) return
  const j0 = hourOfWeek(start)
  let acc = 0
  for (let h = 0; h < hours; h++) {
    acc += profile[(j0 + h) % WEEK_HOURS]!
    cumulative[h] = acc
  }
  for (let e = 0; e < total; e++) {
    const u = rng.uniform() * acc
    let lo = 0
    let hi = hours - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cumulative[mid]! > u) hi = mid
      else lo = mid + 1
    }
    out[offset + lo]! += 1
  }
}

/** Share of a 24 h block's expected count that falls in its first `hours` hours. */
export const blockShare = (profile: ArrayLike<number>, start: number, hours: number): number => {
  const j0 = hourOfWeek(start)
  let part = 0
  let whole = 0
  for (let h = 0; h < BLOCK_HOURS; h++) {
    const w = profile[(j0 + h) % WEEK_HOURS]!
    whole += w
    if (h < hours) part += w
  }
  return part / whole
}
