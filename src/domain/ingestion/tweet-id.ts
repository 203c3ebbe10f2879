/**
 * Tweet ids are Snowflake ids: decimal strings of up to 19 digits, larger = later. They exceed 2^53,
 * so they are compared as BigInt, never as JS numbers (and never as strings, which mis-order ids of
 * different lengths).
 */

/** Twitter's Snowflake epoch (2010-11-04T01:42:54.657Z) in epoch ms. */
export const SNOWFLAKE_EPOCH_MS = 1288834974657

/** The largest id X can mint: ids are signed 64-bit integers. */
export const MAX_TWEET_ID = 2n ** 63n - 1n
/**
 * Ids up to this are the sequential ids of 2006–2010 (they stopped below 3·10^10): they carry no time.
 * Larger ids are Snowflakes, whose top bits are their creation time.
 */
export const LAST_SEQUENTIAL_ID = 29_999_999_999n
/** How far `created_at` may stand from the time a Snowflake id encodes (docs/ingestion.md). */
export const SNOWFLAKE_TOLERANCE_MS = 2 * 60_000
/** The first post on Twitter (2006-03-21): nothing is older. */
export const FIRST_TWEET_MS = Date.UTC(2006, 2, 21)

/**
 * What is wrong with `s` as a tweet id, or undefined when it is canonical: a decimal string of 1 to 19
 * digits, no leading zero (so `42` and `0042` cannot be two tweets), at most 2^63 − 1, not 0.
 */
export const tweetIdProblem = (s: string): string | undefined => {
  if (!/^[0-9]{1,19}$/.test(s)) return `tweet id "${s.slice(0, 40)}" is not a decimal number of 1 to 19 digits`
  if (s.length > 1 && s.startsWith("0")) return `tweet id "${s}" has a leading zero (write it as ${BigInt(s).toString()})`
  if (s === "0") return `tweet id 0 is not an X id`
  if (BigInt(s) > MAX_TWEET_ID) return `tweet id ${s} is above the 64-bit maximum ${MAX_TWEET_ID}`
  return undefined
}

export const isTweetId = (s: string): boolean => tweetIdProblem(s) === undefined

/**
 * What is wrong with `createdAt` for a tweet with this (canonical) id, or undefined: it may not be after
 * the moment it was observed, nor before Twitter existed; a sequential (pre-Snowflake) id belongs to a
 * tweet created before 2010-11-04; for a Snowflake id, created_at must agree with the
 * id's encoded time within SNOWFLAKE_TOLERANCE_MS — except that a repost may be later than its id's
 * time (archives log reposts under the original post's id, see ../shared/data/README.md).
 */
export const createdAtProblem = (id: string, createdAt: number, observedAt: number, kind?: string): string | undefined => {
  const iso = (ms: number) => new Date(ms).toISOString()
  if (createdAt > observedAt) return `created_at ${iso(createdAt)} is after the tweet was observed (${iso(observedAt)})`
  if (createdAt < FIRST_TWEET_MS) return `created_at ${iso(createdAt)} is before the first tweet ever (2006-03-21)`
  if (BigInt(id) <= LAST_SEQUENTIAL_ID)
    return createdAt > SNOWFLAKE_EPOCH_MS + SNOWFLAKE_TOLERANCE_MS
      ? `tweet id ${id} is a pre-2010 sequential id, but created_at is ${iso(createdAt)} (after X switched to Snowflake ids on 2010-11-04)`
      : undefined
  const minted = snowflakeTimeMs(id)
  const early = createdAt < minted - SNOWFLAKE_TOLERANCE_MS
  const late = createdAt > minted + SNOWFLAKE_TOLERANCE_MS && kind !== "retweet"
  return early || late
    ? `created_at ${iso(createdAt)} disagrees with the time in tweet id ${id} (${iso(minted)}) by more than ${SNOWFLAKE_TOLERANCE_MS / 60_000} minutes`
    : undefined
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export const compareTweetIds = (a: string, b: string): number => {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** The largest id of `ids`, or `current` when none is larger (undefined when both are empty). */
export const maxTweetId = (current: string | undefined, ids: Iterable<string>): string | undefined => {
  let best = current
  for (const id of ids) if (best === undefined || compareTweetIds(id, best) > 0) best = id
  return best
}

/**
 * The incremental cursor after observing `ids`: the next run asks X for `since_id = cursor`, i.e. only
 * posts newer than everything already seen. It never moves backwards.
 */
export const nextCursor = maxTweetId

/** Creation instant encoded in a Snowflake id (ms precision): `(id >> 22) + epoch`. */
export const snowflakeTimeMs = (id: string): number => Number(BigInt(id) >> 22n) + SNOWFLAKE_EPOCH_MS

/**
 * A Snowflake id for an instant (ms precision) with a `sequence` (0..4,194,303) to tell apart posts of
 * the same millisecond; the inverse of `snowflakeTimeMs`. For synthetic data (tests, the demo).
 */
export const snowflakeIdAt = (ms: number, sequence = 0): string => {
  if (ms < SNOWFLAKE_EPOCH_MS) throw new RangeError(`instant ${ms} precedes the Snowflake epoch`)
  if (!Number.isInteger(sequence) || sequence < 0 || sequence >= 1 << 22) throw new RangeError(`sequence ${sequence} is outside 0..4194303`)
  return ((BigInt(Math.floor(ms - SNOWFLAKE_EPOCH_MS)) << 22n) | BigInt(sequence)).toString()
}
