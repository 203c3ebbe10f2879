/** Paging, filters and decoding of the X API client against the local fake X server. */
import { Chunk, Effect, Either, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ENDPOINTS, fromAccountQuery, TWEET_FIELDS, XApiClient } from "../../../src/adapters/x-api/client"
import { type FakeXServer, startFakeXServer } from "../../../src/adapters/x-api/fake-server"
import { observedFromApi } from "../../../src/domain/ingestion/observe"
import { timelineReach } from "../../../src/domain/ingestion/reach"
import { nextCursor } from "../../../src/domain/ingestion/tweet-id"
import { DAY_MS, HOUR_MS } from "../../../src/domain/time"
import { captureLogs, ELON_ID, makeTweets, runWith } from "./helpers"

let server: FakeXServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const NOW = Date.now()

const collectIds = (pages: Chunk.Chunk<{ tweets: ReadonlyArray<{ id: string }> }>) =>
  Chunk.toArray(pages).flatMap((p) => p.tweets.map((t) => t.id))

describe("XApiClient paging", () => {
  it("looks up a user, case-insensitively and with a leading @", async () => {
    server = await startFakeXServer()
    const user = await runWith(server, Effect.flatMap(XApiClient, (x) => x.lookupUser("@ElonMusk")))
    expect(user).toEqual({ id: ELON_ID, username: "elonmusk", name: "Elon Musk" })
    expect(server.requests.map((r) => r.path)).toEqual(["/2/users/by/username/ElonMusk"])
  })

  it("walks the timeline with next_token, 100 per page, newest first, every served tweet once", async () => {
    const tweets = makeTweets(250, NOW - 60_000, 60_000)
    server = await startFakeXServer({ tweets })
    const pages = await runWith(server, Stream.runCollect(Stream.unwrap(Effect.map(XApiClient, (x) => x.userTweetsPages(ELON_ID)))))
    const sizes = Chunk.toArray(pages).map((p) => p.tweets.length)
    expect(sizes).toEqual([100, 100, 50])
    const ids = collectIds(pages)
    const expected = tweets.map((t) => t.id).sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1))
    expect(ids).toEqual(expected)
    // each request after the first carries the previous page's next_token
    const reqs = server.requests
    expect(reqs).toHaveLength(3)
    expect(reqs[0]!.query["pagination_token"]).toBeUndefined()
    expect(reqs[1]!.query["pagination_token"]).toBe(Chunk.toArray(pages)[0]!.nextToken)
    expect(reqs[2]!.query["pagination_token"]).toBe(Chunk.toArray(pages)[1]!.nextToken)
    for (const r of reqs) {
      expect(r.query["max_results"]).toBe("100")
      expect(r.query["tweet.fields"]!.split(",").sort()).toEqual([...TWEET_FIELDS].sort())
    }
    // decoded fields
    const first = Chunk.toArray(pages)[0]!.tweets
    const byId = new Map(tweets.map((t) => [t.id, t]))
    for (const t of first) {
      const src = byId.get(t.id)!
      expect(Date.parse(t.created_at)).toBe(Date.parse(src.created_at))
      expect(t.author_id).toBe(ELON_ID)
      expect(t.referenced_tweets).toEqual(src.referenced_tweets)
    }
    expect(Chunk.toArray(pages)[2]!.nextToken).toBeUndefined()
    // decoded posts feed the pure mapping; kinds follow the generated cycle post, reply, quote, retweet
    const observed = Chunk.toArray(pages).flatMap((p) =>
      p.tweets.map((t) => Either.getOrThrow(observedFromApi(t, { account: "ElonMusk", observedAtMs: NOW })))
    )
    const kindOf = new Map(tweets.map((t, i) => [t.id, (["post", "reply", "quote", "retweet"] as const)[i % 4]]))
    for (const o of observed) expect(o.kind).toBe(kindOf.get(o.tweetId))
    expect(nextCursor(undefined, observed.map((o) => o.tweetId))).toBe(tweets[0]!.id)
  })

  it("passes since_id, start_time and end_time, and the server filters by them", async () => {
    const tweets = makeTweets(300, NOW - 60_000, 10 * 60_000)
    server = await startFakeXServer({ tweets })
    const sinceId = tweets[40]!.id // 40 tweets are newer
    const newer = await runWith(
      server,
      Stream.runCollect(Stream.unwrap(Effect.map(XApiClient, (x) => x.userTweetsPages(ELON_ID, { sinceId }))))
    )
    expect(collectIds(newer).sort()).toEqual(tweets.slice(0, 40).map((t) => t.id).sort())

    const start = Date.parse(tweets[120]!.created_at) // inclusive
    const end = Date.parse(tweets[10]!.created_at) // exclusive
    const window = await runWith(
      server,
      Stream.runCollect(Stream.unwrap(Effect.map(XApiClient, (x) => x.userTweetsPages(ELON_ID, { startTime: start, endTime: new Date(end) }))))
    )
    expect(collectIds(window).sort()).toEqual(tweets.slice(11, 121).map((t) => t.id).sort())
    const last = server.requests.at(-1)!
    expect(last.query["start_time"]).toBe(new Date(start).toISOString().replace(".000Z", "Z"))
    expect(last.query["since_id"]).toBeUndefined()
  })

  it("stops at the 3,200 most recent posts; the reach rule sends the rest to recent search", async () => {
    const tweets = makeTweets(3_350, NOW - 60_000, 60_000) // ~2.3 days
    server = await startFakeXServer({ tweets })
    const requestedStartMs = NOW - 3 * DAY_MS
    const pages = await runWith(
      server,
      Stream.runCollect(Stream.unwrap(Effect.map(XApiClient, (x) => x.userTweetsPages(ELON_ID, { startTime: requestedStartMs }))))
    )
    const ids = collectIds(pages)
    expect(ids).toHaveLength(3_200)
    expect(new Set(ids)).toEqual(new Set(tweets.slice(0, 3_200).map((t) => t.id)))
    expect(Chunk.size(pages)).toBe(32)

    const reached = Chunk.toArray(pages).flatMap((p) => p.tweets)
    const reach = timelineReach({
      requestedStartMs,
      oldestReachedMs: Math.min(...reached.map((t) => Date.parse(t.created_at))),
      postsReached: reached.length,
      exhausted: Chunk.last(pages).pipe((o) => o._tag === "Some" && o.value.nextToken === undefined),
      nowMs: Date.now()
    })
    expect(reach._tag).toBe("Capped")
    if (reach._tag !== "Capped") return
    expect(reach.needsImport).toBeUndefined()
    // recent search over the gap returns exactly the 150 posts the timeline could not reach
    const rest = await runWith(
      server,
      Stream.runCollect(
        Stream.unwrap(
          Effect.map(XApiClient, (x) =>
            x.searchRecentPages(fromAccountQuery("elonmusk"), { startTime: reach.searchable!.startMs, endTime: reach.searchable!.endMs })
          )
        )
      )
    )
    expect(new Set(collectIds(rest))).toEqual(new Set(tweets.slice(3_200).map((t) => t.id)))
  })

  it("searches recent posts (7 days) with from:ACCOUNT and pages with next_token", async () => {
    // 10 days of tweets, one every 2 hours: only the last 7 days are searchable
    const tweets = makeTweets(120, NOW - 30 * 60_000, 2 * HOUR_MS)
    const other = makeTweets(5, NOW - 45 * 60_000, HOUR_MS, "12345")
    server = await startFakeXServer({ tweets: [...tweets, ...other], users: [{ id: ELON_ID, username: "elonmusk" }, { id: "12345", username: "someone" }] })
    const start = NOW - 3 * DAY_MS
    const pages = await runWith(
      server,
      Stream.runCollect(
        Stream.unwrap(Effect.map(XApiClient, (x) => x.searchRecentPages(fromAccountQuery("@elonmusk"), { startTime: start, maxResults: 10 })))
      )
    )
    const expected = tweets.filter((t) => Date.parse(t.created_at) >= start).map((t) => t.id)
    expect(expected.length).toBeGreaterThan(30)
    expect(collectIds(pages).sort()).toEqual(expected.sort())
    expect(Chunk.size(pages)).toBe(Math.ceil(expected.length / 10))
    const reqs = server.requests
    expect(reqs[0]!.query["query"]).toBe("from:elonmusk")
    expect(reqs[1]!.query["next_token"]).toBe(Chunk.toArray(pages)[0]!.nextToken)
  })

  it("follows every next_token page of hourly counts and sums them", async () => {
    const tweets = makeTweets(400, NOW - 5 * 60_000, 9 * 60_000) // ~60 hours
    server = await startFakeXServer({ tweets, countsPageSize: 24 })
    const start = NOW - 3 * DAY_MS
    const end = NOW - 60_000
    const res = await runWith(
      server,
      Effect.flatMap(XApiClient, (x) => x.countsRecent(fromAccountQuery("elonmusk"), { startTime: start, endTime: end, granularity: "hour" }))
    )
    expect(res.pages).toBe(Math.ceil(res.buckets.length / 24))
    expect(res.pages).toBeGreaterThan(2)
    // buckets contiguous and ordered, covering [start, end)
    expect(Date.parse(res.buckets[0]!.start)).toBe(start)
    expect(Date.parse(res.buckets.at(-1)!.end)).toBe(end)
    for (let i = 1; i < res.buckets.length; i++) expect(res.buckets[i]!.start).toBe(res.buckets[i - 1]!.end)
    // independently: the tweets in [start, end), and per bucket
    const inWindow = tweets.filter((t) => Date.parse(t.created_at) >= start && Date.parse(t.created_at) < end)
    expect(res.total).toBe(inWindow.length)
    for (const b of res.buckets) {
      const s = Date.parse(b.start)
      const e = Date.parse(b.end)
      expect(b.count).toBe(inWindow.filter((t) => Date.parse(t.created_at) >= s && Date.parse(t.created_at) < e).length)
    }
    expect(server.requests.every((r) => r.query["granularity"] === "hour")).toBe(true)
  })

  it("accepts the spec spellings referenced_posts / post_count / total_post_count", async () => {
    const tweets = makeTweets(30, NOW - 60_000, 60_000)
    server = await startFakeXServer({ tweets, spelling: "post" })
    const { page, counts } = await runWith(
      server,
      Effect.gen(function* () {
        const x = yield* XApiClient
        const page = yield* x.userTweets(ELON_ID)
        const counts = yield* x.countsRecent("from:elonmusk", { startTime: NOW - DAY_MS, endTime: NOW - 30_000 })
        return { page, counts }
      }),
      { options: { fieldSpelling: "post", retry: { jitter: false } } }
    )
    expect(server.requests[0]!.query["post.fields"]).toContain("referenced_posts")
    expect(server.requests[0]!.query["tweet.fields"]).toBeUndefined()
    const reply = page.tweets.find((t) => t.id === tweets[1]!.id)!
    expect(reply.referenced_tweets).toEqual([{ type: "replied_to", id: "1000" }])
    expect(counts.total).toBe(30)
  })

  it("keeps and logs the partial errors of a 200 page beside its data", async () => {
    const tweets = makeTweets(150, NOW - 60_000, 60_000)
    server = await startFakeXServer({ tweets })
    server.inject.partialErrors(1, { endpoint: ENDPOINTS.userTweets })
    const logs = captureLogs()
    const pages = await runWith(server, Stream.runCollect(Stream.unwrap(Effect.map(XApiClient, (x) => x.userTweetsPages(ELON_ID)))), { logs })
    const [first, second] = Chunk.toArray(pages)
    expect(first!.tweets).toHaveLength(100)
    expect(first!.errors).toHaveLength(1)
    expect(first!.errors[0]!.title).toBe("Not Found Error")
    expect(first!.errors[0]!.type).toMatch(/resource-not-found$/)
    expect(second!.errors).toHaveLength(0)
    const warnings = logs.lines.filter((l) => l.level === "WARN" && l.message.includes("partial error"))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.message).toContain("Could not find tweet")
  })

  it("tolerates unknown fields in a response", async () => {
    server = await startFakeXServer({ tweets: makeTweets(3, NOW - 60_000, 60_000) })
    // the fake adds text, edit_history_tweet_ids, conversation_id, public_metrics: none are in the schema's required set
    const page = await runWith(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)))
    expect(page.tweets).toHaveLength(3)
    expect(Object.keys(page.tweets[0]!)).not.toContain("edit_history_tweet_ids")
  })
})
