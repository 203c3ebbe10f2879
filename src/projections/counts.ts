/**
 * `hourly_counts` and `daily_counts`: how many tweets of each account were created in each UTC hour /
 * UTC day, per kind (post, reply, quote, retweet). A bucket with no tweet of a kind has no row (the query helper in
 * queries/counts.ts fills zeros). Each tweet counts once, by its first observation (see tweets.ts).
 * Buckets come from the one time module (hourFloor/dayFloor); keys are canonical UTC ISO strings.
 */
import { TweetObserved } from "../domain/events/tweet"
import { dayFloor, hourFloor, parseInstant, toIsoUtc } from "../domain/time"
import type { Projection } from "./projection"
import { firstObservation } from "./tweets"
import { noWrites, Write } from "./write"

export const HOURLY_COUNTS_TABLE = "hourly_counts" as const
export const DAILY_COUNTS_TABLE = "daily_counts" as const

/** Canonical UTC instants as the event schema spells them: `YYYY-MM-DDTHH:MM:SS[.fff]Z`. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/

/**
 * The bucket of a canonical instant, straight from its text: the hour (or day) prefix completed with
 * zeros, which is `toIsoUtc(hourFloor(ms))` (or `dayFloor`) without the Date round trip (a hot path:
 * one call per tweet in every replay). Anything else goes through the time module.
 */
export const hourBucket = (iso: string): string =>
  CANONICAL.test(iso) ? `${iso.slice(0, 13)}:00:00Z` : toIsoUtc(hourFloor(parseInstant(iso)!))
export const dayBucket = (iso: string): string =>
  CANONICAL.test(iso) ? `${iso.slice(0, 10)}T00:00:00Z` : toIsoUtc(dayFloor(parseInstant(iso)!))

const countsProjection = (name: string, table: typeof HOURLY_COUNTS_TABLE | typeof DAILY_COUNTS_TABLE, bucketOf: (iso: string) => string): Projection => ({
  name,
  tables: [table],
  eventTypes: [TweetObserved.type],
  handle: (event) => {
    const e = firstObservation(event)
    if (!e) return noWrites
    // createdAt passed the UtcInstant schema when decoded.
    return [Write.increment(table, { account: e.data.account, bucket_start: bucketOf(e.data.createdAt), kind: e.data.kind }, { count: 1 })]
  }
})

export const hourlyCountsProjection: Projection = countsProjection("hourly_counts", HOURLY_COUNTS_TABLE, hourBucket)
export const dailyCountsProjection: Projection = countsProjection("daily_counts", DAILY_COUNTS_TABLE, dayBucket)
