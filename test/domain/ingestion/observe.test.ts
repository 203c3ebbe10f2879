import { Either, Schema } from "effect"
import { TweetObservedData } from "../../../src/domain/events/tweet"
import { describe, expect, it } from "vitest"
import { observedFromApi } from "../../../src/domain/ingestion/observe"
import { normalizeAccount } from "../../../src/domain/accounts/account"
import { snowflakeIdAt } from "../../../src/domain/ingestion/tweet-id"

/** The id X would mint at that instant. */
const ID = snowflakeIdAt(Date.parse("2025-12-17T08:30:00.000Z"))

const OBSERVED = Date.parse("2025-12-20T10:00:00.250Z")

describe("observedFromApi", () => {
  it("maps an API post to TweetObserved fields", () => {
    const r = observedFromApi(
      {
        id: ID,
        created_at: "2025-12-17T08:30:00.000Z",
        author_id: "44196397",
        referenced_tweets: [
          { type: "replied_to", id: "1868" },
          { type: "quoted", id: "1867" },
          { type: "replied_to", id: "1868" }
        ]
      },
      { account: "@ElonMusk", observedAtMs: OBSERVED }
    )
    expect(Either.getOrThrow(r)).toEqual({
      tweetId: ID,
      authorId: "44196397",
      account: "elonmusk",
      createdAt: "2025-12-17T08:30:00Z",
      kind: "quote",
      referencedIds: ["1868", "1867"],
      observedAt: "2025-12-20T10:00:00.250Z",
      source: "api"
    })
  })
  it("produces payloads the event catalog accepts", () => {
    const r = observedFromApi(
      { id: ID, created_at: "2025-12-17T08:30:00.123Z", author_id: "44196397", referenced_tweets: [{ type: "retweeted", id: "5" }] },
      { account: "elonmusk", observedAtMs: OBSERVED }
    )
    const fields = Either.getOrThrow(r)
    expect(Schema.decodeUnknownSync(TweetObservedData)(fields)).toEqual(fields)
    expect(fields.kind).toBe("retweet")
  })

  it("normalises an offset created_at to UTC", () => {
    const r = observedFromApi({ id: ID, created_at: "2025-12-17T10:30:00+02:00", author_id: "2" }, { account: "x", observedAtMs: OBSERVED })
    expect(Either.getOrThrow(r).createdAt).toBe("2025-12-17T08:30:00Z")
    expect(Either.getOrThrow(r).kind).toBe("post")
    expect(Either.getOrThrow(r).referencedIds).toEqual([])
  })
  it("refuses a bad created_at or id, naming the post", () => {
    const bad = observedFromApi({ id: "77", created_at: "yesterday", author_id: "2" }, { account: "x", observedAtMs: OBSERVED })
    expect(Either.isLeft(bad)).toBe(true)
    if (Either.isLeft(bad)) expect(bad.left.message).toBe('post 77: created_at "yesterday" is not an RFC 3339 instant')
    const local = observedFromApi({ id: "77", created_at: "2025-12-17T10:30:00", author_id: "2" }, { account: "x", observedAtMs: OBSERVED })
    expect(Either.isLeft(local)).toBe(true)
    expect(Either.isLeft(observedFromApi({ id: "x1", created_at: "2025-12-17T10:30:00Z", author_id: "2" }, { account: "x", observedAtMs: OBSERVED }))).toBe(true)
    const badRef = observedFromApi(
      { id: "78", created_at: "2025-12-17T10:30:00Z", author_id: "2", referenced_tweets: [{ type: "quoted", id: "abc" }] },
      { account: "x", observedAtMs: OBSERVED }
    )
    expect(Either.isLeft(badRef)).toBe(true)
  })
  it("refuses a post whose created_at contradicts its Snowflake id or comes after it was observed", () => {
    const shifted = observedFromApi({ id: ID, created_at: "2025-12-17T09:30:00Z", author_id: "2" }, { account: "x", observedAtMs: OBSERVED })
    expect(Either.isLeft(shifted) && shifted.left.message).toMatch(/disagrees with the time in tweet id/)
    const future = observedFromApi(
      { id: snowflakeIdAt(OBSERVED + 60_000), created_at: new Date(OBSERVED + 60_000).toISOString(), author_id: "2" },
      { account: "x", observedAtMs: OBSERVED }
    )
    expect(Either.isLeft(future) && future.left.message).toMatch(/after the tweet was observed/)
  })
  it("normalizeAccount drops @ and case", () => {
    expect(normalizeAccount(" @ElonMusk ")).toBe("elonmusk")
  })
})
