/**
 * From a post as the X API returns it to the fields of a `TweetObserved` event (source "api").
 * Pure: `observedAt` is passed in, never read from a clock here.
 */
import { Data, Either } from "effect"
import { parseInstant, toIsoUtc } from "../time"
import type { TweetObservedData } from "../events/tweet"
import { classifyKind, type TweetReference } from "./kind"
import { createdAtProblem, isTweetId, tweetIdProblem } from "./tweet-id"
import { normalizeAccount } from "../accounts/account"

/** The parts of an API post the mapping needs (the adapter's decoded XTweet fits it). */
export interface ApiTweetLike {
  readonly id: string
  readonly created_at: string
  readonly author_id: string
  readonly referenced_tweets?: ReadonlyArray<TweetReference>
}

/** Payload fields of `TweetObserved` (the catalog's schema, src/domain/events/tweet.ts). */
export type TweetObservedFields = TweetObservedData

/** A post whose id or creation time cannot be used. */
export class TweetMappingError extends Data.TaggedError("TweetMappingError")<{
  readonly tweetId: string
  readonly reason: string
}> {
  override get message(): string {
    return `post ${this.tweetId}: ${this.reason}`
  }
}


export const observedFromApi = (
  tweet: ApiTweetLike,
  context: { readonly account: string; readonly observedAtMs: number }
): Either.Either<TweetObservedFields, TweetMappingError> => {
  const idProblem = tweetIdProblem(tweet.id)
  if (idProblem !== undefined) return Either.left(new TweetMappingError({ tweetId: tweet.id, reason: idProblem }))
  const createdMs = parseInstant(tweet.created_at)
  if (createdMs === undefined) {
    return Either.left(new TweetMappingError({ tweetId: tweet.id, reason: `created_at "${tweet.created_at}" is not an RFC 3339 instant` }))
  }
  const refs = tweet.referenced_tweets ?? []
  const badRef = refs.find((r) => !isTweetId(r.id))
  if (badRef) return Either.left(new TweetMappingError({ tweetId: tweet.id, reason: `referenced id "${badRef.id}" is not a numeric X id` }))
  const kind = classifyKind(refs)
  const timeProblem = createdAtProblem(tweet.id, createdMs, context.observedAtMs, kind)
  if (timeProblem !== undefined) return Either.left(new TweetMappingError({ tweetId: tweet.id, reason: timeProblem }))
  return Either.right({
    tweetId: tweet.id,
    authorId: tweet.author_id,
    account: normalizeAccount(context.account),
    createdAt: toIsoUtc(createdMs),
    kind,
    referencedIds: [...new Set(refs.map((r) => r.id))],
    observedAt: toIsoUtc(context.observedAtMs),
    source: "api"
  })
}
