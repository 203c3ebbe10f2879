/**
 * `hourly_counts` and `daily_counts`: how many tweets were created in each UTC hour / UTC day, per kind
 * (post, reply, quote, retweet). A bucket with no tweet of a kind has no row (the query helper in
 * queries/counts.ts fills zeros). Each tweet counts once, by its first observation (see tweets.ts).
 * Buckets come from the one time module (hourFloor/dayFloor); keys are canonical UTC ISO strings.
 */
import { TweetObserved } from "../domain/events/tweet"
import { dayFloor, hourFloor, parseInstant, toIsoUtc } from "../domain/time"
import type { Projection } from "./projection"
import { firstObservation } from "./tweets"
import { noWrites, Write } from "./write"

export const HOURLY_COUNTS_TABLE = "hourly_counts"
export const DAILY_COUNTS_TABLE = "daily_counts"

const countsProjection = (name: string, table: string, floor: (ms: number) => number): Projection => ({
  name,
  tables: [table],
  eventTypes: [TweetObserved.type],
  handle: (event) => {
    const e = firstObservation(event)
    if (!e) return noWrites
    // createdAt passed the UtcInstant schema when decoded, so it parses.
    const bucket = toIsoUtc(floor(parseInstant(e.data.createdAt)!))
    return [Write.increment(table, { bucket_start: bucket, kind: e.data.kind }, { count: 1 })]
  }
})

export const hourlyCountsProjection: Projection = countsProjection("hourly_counts", HOURLY_COUNTS_TABLE, hourFloor)
export const dailyCountsProjection: Projection = countsProjection("daily_counts", DAILY_COUNTS_TABLE, dayFloor)
