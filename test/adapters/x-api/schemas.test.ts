/** Response schemas: both spellings, unknown fields dropped, missing fields named. */
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { formatParseIssues } from "../../../src/adapters/x-api/http"
import { CountsResponse, TweetPageResponse, UserLookupResponse, XTweet } from "../../../src/adapters/x-api/schemas"

const decode = <A, I>(s: Schema.Schema<A, I>, u: unknown) => Schema.decodeUnknownEither(s)(u, { errors: "all" })
const issues = <A, I>(s: Schema.Schema<A, I>, u: unknown) => {
  const r = decode(s, u)
  if (Either.isRight(r)) throw new Error("expected a decode error")
  return formatParseIssues(r.left)
}

const tweet = { id: "1869", created_at: "2025-12-17T08:30:00.000Z", author_id: "44196397" }

describe("X API schemas", () => {
  it("folds referenced_posts into referenced_tweets and drops unknown fields", () => {
    const refs = [{ type: "quoted", id: "5" }]
    const a = Either.getOrThrow(decode(XTweet, { ...tweet, referenced_posts: refs, lang: "en", edit_history_post_ids: ["1869"] }))
    expect(a).toEqual({ ...tweet, referenced_tweets: refs })
    const b = Either.getOrThrow(decode(XTweet, { ...tweet, referenced_tweets: refs }))
    expect(b).toEqual({ ...tweet, referenced_tweets: refs })
  })

  it("names every missing required field with its path", () => {
    expect(issues(TweetPageResponse, { data: [tweet, { id: "2", author_id: "3" }] })).toEqual(["data[1].created_at: is missing"])
    expect([...issues(TweetPageResponse, { data: [{ created_at: tweet.created_at }] })].sort()).toEqual(
      ["data[0].author_id: is missing", "data[0].id: is missing"].sort()
    )
    expect(issues(UserLookupResponse, { data: { id: "1" } })).toEqual(["data.username: is missing"])
  })

  it("rejects ids that are not numeric", () => {
    expect(issues(XTweet, { ...tweet, id: "12x" })[0]).toMatch(/^id: /)
  })

  it("counts: tweet_count or post_count, total of either spelling", () => {
    const live = Either.getOrThrow(
      decode(CountsResponse, { data: [{ start: "a", end: "b", tweet_count: 3 }], meta: { total_tweet_count: 3 } })
    )
    const spec = Either.getOrThrow(decode(CountsResponse, { data: [{ start: "a", end: "b", post_count: 4 }], meta: { total_post_count: 4 } }))
    expect(live.data).toEqual([{ start: "a", end: "b", count: 3 }])
    expect(spec.data).toEqual([{ start: "a", end: "b", count: 4 }])
  })

  it("an empty page has neither data nor next_token", () => {
    expect(Either.getOrThrow(decode(TweetPageResponse, { meta: { result_count: 0 } }))).toEqual({ meta: { result_count: 0 } })
  })
})
