/**
 * Tweet events. `TweetObserved`: MuskTracker saw a post (through the X API or an archive import).
 * Stream `tweet-<tweetId>`, id UUID v5 of `tweet-observed:<tweetId>`, and the first append expects "no
 * stream": observing the same post twice, from any source, writes nothing the second time.
 */
import { Schema } from "effect"
import { defineEvent } from "./codec"
import { UtcInstant } from "./instant"

export const TWEET_CATEGORY = "tweet"
export const tweetStream = (tweetId: string): string => `${TWEET_CATEGORY}-${tweetId}`

/** X (Snowflake) ids: decimal strings of up to 19 digits, beyond 2^53, so never numbers. */
export const TweetId = Schema.String.pipe(
  Schema.filter((s) => /^[0-9]{1,19}$/.test(s) || `expected a numeric X id of at most 19 digits, got "${s}"`),
  Schema.annotations({ identifier: "TweetId" })
)

export const TweetKindSchema = Schema.Literal("post", "reply", "quote", "retweet")
/** What a status is: the one definition every layer uses (counts, imports, ingestion, models' count kinds). */
export type TweetKind = typeof TweetKindSchema.Type
/** Every kind: the protocol's count definition ("all"). */
export const ALL_TWEET_KINDS: ReadonlyArray<TweetKind> = TweetKindSchema.literals

export const TweetObservedData = Schema.Struct({
  tweetId: TweetId,
  /** X user id of the author (may be empty for archive rows that do not carry it). */
  authorId: Schema.String,
  /** Normalised account name (lower case, no @) the run or import was for. */
  account: Schema.String,
  /** Creation instant, canonical UTC ISO (`toIsoUtc`). */
  createdAt: UtcInstant,
  kind: TweetKindSchema,
  /** Ids of the referenced posts (replied to, quoted, retweeted), in X's order. */
  referencedIds: Schema.Array(TweetId),
  /** When MuskTracker saw it, canonical UTC ISO. */
  observedAt: UtcInstant,
  source: Schema.Literal("api", "import")
})
export type TweetObservedData = typeof TweetObservedData.Type

export const TweetObserved = defineEvent("TweetObserved", 1, TweetObservedData, {
  stream: (d) => tweetStream(d.tweetId),
  naturalKey: (d) => `tweet-observed:${d.tweetId}`
})
