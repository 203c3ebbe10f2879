/**
 * The retry policy: exponential backoff with optional jitter, each delay capped, a bounded number of
 * retries, only for retryable failures. A 429 that announced its reset retries without extra delay,
 * because the rate limiter already holds the next attempt until the window resets.
 */
import { Duration, Effect, Schedule } from "effect"
import { isRetryable, type XApiError } from "./errors"
import type { ResolvedOptions } from "./options"

export const retrySchedule = (
  o: Pick<ResolvedOptions, "maxRetries" | "baseDelayMs" | "maxDelayMs" | "jitter">
): Schedule.Schedule<[XApiError, number], XApiError> => {
  const exponential = Schedule.exponential(Duration.millis(o.baseDelayMs), 2)
  const backoff = (o.jitter ? Schedule.jittered(exponential) : exponential).pipe(
    // union keeps the shorter of the two delays: the cap
    Schedule.union(Schedule.spaced(Duration.millis(o.maxDelayMs)))
  )
  return Schedule.identity<XApiError>().pipe(
    Schedule.intersect(Schedule.recurs(o.maxRetries)),
    Schedule.zipLeft(backoff),
    Schedule.whileInput(isRetryable),
    Schedule.modifyDelayEffect(([error, n], delay) => {
      const waitsForReset = error._tag === "XApiRateLimited" && error.resetAtMs !== undefined
      const next = waitsForReset ? Duration.zero : delay
      const when = waitsForReset ? "once the window resets" : `in ${Duration.format(Duration.millis(Math.ceil(Duration.toMillis(next))))}`
      return Effect.as(Effect.logWarning(`${error.message}; retry ${n + 1} of ${o.maxRetries} ${when}`), next)
    })
  )
}
