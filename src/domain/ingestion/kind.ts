/**
 * The kind of a post, from the `referenced_tweets` X attaches to it.
 *
 * Precedence when several references are present: retweet > quote > reply > post.
 * - A retweet carries only the `retweeted` reference in practice; if anything else appears beside it,
 *   the post is still a repost of someone else's content, so it counts as a retweet.
 * - A reply that quotes another post has both `replied_to` and `quoted`; it is classified `quote`
 *   because it embeds another post as its content. Counts of
 *   "all tweets" are unaffected by the choice; only per-kind breakdowns are.
 * Unknown reference types are ignored (the post stays a `post` unless a known type is present).
 */
import type { TweetKind } from "../events/tweet"

export type { TweetKind }

export interface TweetReference {
  readonly type: string
  readonly id: string
}

export const classifyKind = (refs: ReadonlyArray<TweetReference> | undefined): TweetKind => {
  if (!refs || refs.length === 0) return "post"
  const types = new Set(refs.map((r) => r.type))
  if (types.has("retweeted")) return "retweet"
  if (types.has("quoted")) return "quote"
  if (types.has("replied_to")) return "reply"
  return "post"
}
