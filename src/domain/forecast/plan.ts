/**
 * Where the forecast window sits relative to the origin, and nowcasting.
 *
 * The models simulate hourly paths from the origin to the window's end. The window [START, END) can
 * - lie ahead (START ≥ origin): the first START − origin simulated hours are skipped;
 * - have started (START < origin < END): the hours [START, origin) are already observed. Their count
 *   (tweets created in [START, origin), as known at the origin) is added to every path's simulated rest
 *   [origin, END): total = observed + remaining. The observed part is a fixed number, not a forecast;
 * - have ended (END ≤ origin): nothing is left to forecast (that is `forecast score`'s job).
 */
import { HOUR_MS, bucketHourly, toIsoUtc } from "../time"
import type { CountWindow } from "./horizon"

export interface ForecastPlan {
  /** On a UTC hour: the first simulated hour. */
  readonly origin: number
  readonly window: CountWindow
  /** Hours the models simulate: [origin, window.end). */
  readonly simulateHours: number
  /** Simulated hours before the window starts (window ahead of the origin), else 0. */
  readonly skipHours: number
  /** Simulated hours inside the window: [max(START, origin), END). */
  readonly remainingHours: number
  /** Hours of the window already observed: [START, origin) when the window has started, else 0. */
  readonly observedHours: number
}

export const planForecast = (window: CountWindow, origin: number): ForecastPlan | string => {
  if (origin % HOUR_MS !== 0) throw new RangeError("the origin must be on a UTC hour")
  if (window.start % HOUR_MS !== 0 || window.end % HOUR_MS !== 0)
    return `the window ${toIsoUtc(window.start)} .. ${toIsoUtc(window.end)} does not start and end on UTC hours (counts are kept per UTC hour)`
  if (window.end <= origin)
    return `the window ${toIsoUtc(window.start)} .. ${toIsoUtc(window.end)} ended at or before the forecast origin ${toIsoUtc(origin)}: nothing is left to forecast`
  const simulateHours = (window.end - origin) / HOUR_MS
  const skipHours = Math.max(0, (window.start - origin) / HOUR_MS)
  const observedHours = Math.max(0, (origin - window.start) / HOUR_MS)
  return { origin, window, simulateHours, skipHours, remainingHours: simulateHours - skipHours, observedHours }
}

/**
 * Observed counts per hour of [START, origin) from the tweet instants known at the origin (ascending or
 * not; instants outside the range are ignored). Empty when the window has not started.
 */
export const observedHourly = (plan: ForecastPlan, tweetTimes: ArrayLike<number>): Float64Array =>
  bucketHourly(tweetTimes, plan.window.start, plan.observedHours)
