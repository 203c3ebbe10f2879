/**
 * Reading the count read models: tweet counts per UTC hour or day summed over a chosen set of kinds
 * (default: all four, the protocol's count definition), with empty buckets filled with 0, and the
 * sorted creation instants of tweets (the input of point-process models such as Hawkes).
 *
 * Ranges are half-open: [from, to). Bucketed queries return every bucket whose start lies in
 * [floor(from), to), so aligned bounds give exactly the buckets inside the range; an empty range
 * (to <= from) gives none.
 * These read what the projections hold: call `catchUpProjections` (src/programs/catch-up.ts) first to include the latest events.
 */
import { ALL_TWEET_KINDS, type TweetKind } from "../../domain/events/tweet"
import { Effect } from "effect"
import { sql } from "kysely"
import { SqlDatabase } from "../../adapters/sql/database"
import { DAY_MS, dayFloor, HOUR_MS, hourFloor, toIsoUtc } from "../../domain/time"
import { DAILY_COUNTS_TABLE, HOURLY_COUNTS_TABLE } from "../counts"
import { TWEETS_TABLE } from "../tweets"
import { runQuery } from "./run-query"

export type { TweetKind }
export const ALL_KINDS = ALL_TWEET_KINDS

export interface CountBucket {
  /** Start of the UTC hour or day, epoch ms. */
  readonly bucketStart: number
  readonly count: number
}

export interface RangeQuery {
  /** The account whose tweets are counted (normalised handle). */
  readonly account: string
  /** Inclusive start, epoch ms. */
  readonly from: number
  /** Exclusive end, epoch ms. */
  readonly to: number
  /** Kinds to sum (default all). An empty list counts nothing. */
  readonly kinds?: ReadonlyArray<TweetKind>
}


const bucketed = (table: string, width: number, floor: (ms: number) => number) => (q: RangeQuery) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const start = floor(q.from)
    const n = q.to > q.from ? Math.ceil((q.to - start) / width) : 0
    const out: CountBucket[] = Array.from({ length: n }, (_, i) => ({ bucketStart: start + i * width, count: 0 }))
    const kinds = q.kinds ?? ALL_KINDS
    if (n === 0 || kinds.length === 0) return out
    const r = yield* runQuery(describe, () =>
      sql<{ ms: number | string; n: number | string }>`
        select (extract(epoch from bucket_start) * 1000)::float8 as ms, sum(count)::int8::text as n
        from ${sql.table(table)}
        where account = ${q.account} and bucket_start >= ${toIsoUtc(start)}::timestamptz and bucket_start < ${toIsoUtc(q.to)}::timestamptz
          and kind in (${sql.join(kinds)})
        group by bucket_start`.execute(db)
    )
    for (const row of r.rows) {
      const i = Math.round((Number(row.ms) - start) / width)
      if (i >= 0 && i < n) out[i] = { bucketStart: out[i]!.bucketStart, count: Number(row.n) }
    }
    return out
  })

/** Tweets per UTC hour, every hour whose start is in [hourFloor(from), to), zeros included. */
export const hourlyCounts = bucketed(HOURLY_COUNTS_TABLE, HOUR_MS, hourFloor)

/** Tweets per UTC day, every day whose start is in [dayFloor(from), to), zeros included. */
export const dailyCounts = bucketed(DAILY_COUNTS_TABLE, DAY_MS, dayFloor)

/** Creation instants (epoch ms, ascending) of the tweets of `kinds` created in [from, to). */
export const tweetInstants = (q: RangeQuery) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const kinds = q.kinds ?? ALL_KINDS
    if (q.to <= q.from || kinds.length === 0) return new Float64Array(0)
    const r = yield* runQuery(describe, () =>
      sql<{ ms: number | string }>`
        select (extract(epoch from created_at) * 1000)::float8 as ms from ${sql.table(TWEETS_TABLE)}
        where account = ${q.account} and created_at >= ${toIsoUtc(q.from)}::timestamptz and created_at < ${toIsoUtc(q.to)}::timestamptz
          and kind in (${sql.join(kinds)})
        order by created_at, id`.execute(db)
    )
    const out = new Float64Array(r.rows.length)
    for (let i = 0; i < r.rows.length; i++) out[i] = Number(r.rows[i]!.ms)
    return out
  })

/** Hourly counts as the models' HourlySeries ({start, counts}) for [from, to) on whole hours. */
export const hourlySeries = (q: RangeQuery) =>
  Effect.map(hourlyCounts(q), (buckets) => ({
    start: buckets[0]?.bucketStart ?? hourFloor(q.from),
    counts: Float64Array.from(buckets, (b) => b.count)
  }))

/** [first tweet, last tweet] creation instants of the account's tweets in the read model, or undefined when none. */
export const dataExtent = (account: string) => Effect.gen(function* () {
  const { db, describe } = yield* SqlDatabase
  const r = yield* runQuery(describe, () =>
    sql<{ lo: number | null; hi: number | null }>`
      select (extract(epoch from min(created_at)) * 1000)::float8 as lo, (extract(epoch from max(created_at)) * 1000)::float8 as hi
      from ${sql.table(TWEETS_TABLE)} where account = ${account}`.execute(db)
  )
  const row = r.rows[0]
  return row && row.lo !== null && row.hi !== null ? { first: Number(row.lo), last: Number(row.hi) } : undefined
})
