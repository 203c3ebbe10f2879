/**
 * Tweet ids are Snowflake ids: decimal strings of up to 19 digits, larger = later. They exceed 2^53,
 * so they are compared as BigInt, never as JS numbers (and never as strings, which mis-order ids of
 * different lengths).
 */

/** Twitter's Snowflake epoch (2010-11-04T01:42:54.657Z) in epoch ms. */
export const SNOWFLAKE_EPOCH_MS = 1288834974657

export const isTweetId = (s: string): boolean => /^[0-9]{1,19}$/.test(s)

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
