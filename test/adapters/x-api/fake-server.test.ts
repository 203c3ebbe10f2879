/** The local X API stand-in answers as X documents (checked with plain fetch on 127.0.0.1). */
import { afterEach, describe, expect, it } from "vitest"
import { ENDPOINTS } from "../../../src/adapters/x-api/endpoints"
import { type FakeXServer, type FakeXServerOptions, startFakeXServer } from "../../../src/adapters/x-api/fake-server"
import { DAY_MS, HOUR_MS } from "../../../src/domain/time"
import { ELON_ID, makeTweets } from "./helpers"

let server: FakeXServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const NOW = Date.parse("2025-12-20T12:34:56.000Z")
const TWEETS = makeTweets(60, NOW - 60_000, 30 * 60_000) // 30 hours, one every 30 min

const start = async (o: FakeXServerOptions = {}) => {
  server = await startFakeXServer({ tweets: TWEETS, now: () => NOW, ...o })
  return server
}

const get = async (s: FakeXServer, path: string, params: Record<string, string> = {}, token = s.token) => {
  const url = new URL(s.url + path)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, headers: res.headers, body: (await res.json()) as any }
}
const timeline = `/2/users/${ELON_ID}/tweets`

describe("fake X server", () => {
  it("listens on loopback only", async () => {
    const s = await start()
    expect(new URL(s.url).hostname).toBe("127.0.0.1")
  })

  it("401 problem JSON for a wrong or missing token, and nothing else is served", async () => {
    const s = await start()
    const r = await get(s, timeline, {}, "nope")
    expect(r.status).toBe(401)
    expect(r.body).toEqual({ title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" })
    const bare = await fetch(s.url + timeline)
    expect(bare.status).toBe(401)
    expect(s.requests.map((q) => q.outcome)).toEqual(["unauthorized", "unauthorized"])
  })

  it("user lookup: data for a known user, 200 with a resource-not-found problem for an unknown one", async () => {
    const s = await start()
    expect((await get(s, "/2/users/by/username/ELONMUSK")).body).toEqual({ data: { id: ELON_ID, name: "Elon Musk", username: "elonmusk" } })
    const unknown = await get(s, "/2/users/by/username/nosuchuser")
    expect(unknown.status).toBe(200)
    expect(unknown.body.data).toBeUndefined()
    expect(unknown.body.errors[0]).toMatchObject({
      title: "Not Found Error",
      resource_type: "user",
      parameter: "username",
      value: "nosuchuser",
      type: "https://api.x.com/2/problems/resource-not-found"
    })
    expect((await get(s, "/2/users/by/username/bad-name")).status).toBe(400)
  })

  it("timeline: newest first, default 10 per page, only the fields asked for", async () => {
    const s = await start()
    const r = await get(s, timeline)
    expect(r.body.data).toHaveLength(10)
    expect(r.body.data[0]).toEqual({ id: TWEETS[0]!.id, text: `post ${TWEETS[0]!.id}`, edit_history_tweet_ids: [TWEETS[0]!.id] })
    expect(r.body.meta).toEqual({ result_count: 10, newest_id: TWEETS[0]!.id, oldest_id: TWEETS[9]!.id, next_token: expect.any(String) })
    const withFields = await get(s, timeline, { "tweet.fields": "created_at,author_id,referenced_tweets", max_results: "5" })
    expect(withFields.body.data[1]).toMatchObject({ created_at: TWEETS[1]!.created_at, author_id: ELON_ID, referenced_tweets: TWEETS[1]!.referenced_tweets })
    expect(withFields.headers.get("x-rate-limit-remaining")).toBe("898")
  })

  it("timeline: start_time inclusive, end_time exclusive, since_id/until_id exclusive, next_token continues", async () => {
    const s = await start()
    const startTime = TWEETS[20]!.created_at
    const endTime = TWEETS[5]!.created_at
    const ids: string[] = []
    let token: string | undefined
    do {
      const r = await get(s, timeline, { start_time: startTime, end_time: endTime, max_results: "5", ...(token ? { pagination_token: token } : {}) })
      ids.push(...(r.body.data ?? []).map((t: any) => t.id))
      token = r.body.meta.next_token
    } while (token)
    expect(ids).toEqual(TWEETS.slice(6, 21).map((t) => t.id))
    const since = await get(s, timeline, { since_id: TWEETS[3]!.id, until_id: TWEETS[0]!.id })
    expect(since.body.data.map((t: any) => t.id)).toEqual([TWEETS[1]!.id, TWEETS[2]!.id])
    const none = await get(s, timeline, { since_id: TWEETS[0]!.id })
    expect(none.body).toEqual({ meta: { result_count: 0 } })
  })

  it("timeline reaches only the `timelineCap` most recent posts", async () => {
    const s = await start({ timelineCap: 25 })
    const r = await get(s, timeline, { max_results: "100", start_time: TWEETS[59]!.created_at })
    expect(r.body.data.map((t: any) => t.id)).toEqual(TWEETS.slice(0, 25).map((t) => t.id))
    expect(r.body.meta.next_token).toBeUndefined()
  })

  it("rejects what X rejects: max_results out of range, unknown parameters, unknown users' timelines", async () => {
    const s = await start()
    expect((await get(s, timeline, { max_results: "4" })).status).toBe(400)
    const unknownParam = await get(s, timeline, { bogus: "1" })
    expect(unknownParam.status).toBe(400)
    expect(unknownParam.body.errors[0].message).toContain("[bogus]")
    const other = await get(s, "/2/users/999/tweets")
    expect(other.status).toBe(200)
    expect(other.body.errors[0].parameter).toBe("id")
    expect((await get(s, "/2/nothing")).status).toBe(404)
  })

  it("user timeline: a start_time or end_time before 2010-11-06 is a 400, as X's OpenAPI documents", async () => {
    const s = await start()
    for (const name of ["start_time", "end_time"]) {
      const early = await get(s, timeline, { [name]: "2010-11-05T23:59:59.000Z" })
      expect(early.status).toBe(400)
      expect(early.body.errors[0].message).toBe(`Invalid '${name}':'2010-11-05T23:59:59.000Z'. '${name}' must be on or after 2010-11-06T00:00:00.000Z`)
    }
    expect((await get(s, timeline, { start_time: "2010-11-06T00:00:00.000Z" })).status).toBe(200)
  })

  it("search/recent: from:USERNAME within 7 days; start_time earlier is a 400", async () => {
    const old = makeTweets(3, NOW - 8 * DAY_MS, HOUR_MS)
    const s = await start({ tweets: [...TWEETS, ...old] })
    const r = await get(s, "/2/tweets/search/recent", { query: "from:ElonMusk", max_results: "100" })
    expect(r.body.data).toHaveLength(60)
    const tooOld = await get(s, "/2/tweets/search/recent", { query: "from:elonmusk", start_time: new Date(NOW - 8 * DAY_MS).toISOString() })
    expect(tooOld.status).toBe(400)
    expect(tooOld.body.errors[0].message).toMatch(/'start_time' must be on or after/)
    const both = await get(s, "/2/tweets/search/recent", { query: "from:elonmusk", since_id: "1", start_time: new Date(NOW - DAY_MS).toISOString() })
    expect(both.status).toBe(400)
    expect((await get(s, "/2/tweets/search/recent", { query: "elon" })).status).toBe(400)
    expect((await get(s, "/2/tweets/search/recent", { query: "from:elonmusk", max_results: "5" })).status).toBe(400)
  })

  it("counts/recent: hour buckets split at UTC hour boundaries, partial first and last, total, next_token", async () => {
    const s = await start({ countsPageSize: 10 })
    const from = NOW - 20 * HOUR_MS // 16:34:56 the day before
    const to = NOW - 2 * HOUR_MS
    const pages: any[] = []
    let token: string | undefined
    do {
      const r = await get(s, "/2/tweets/counts/recent", {
        query: "from:elonmusk",
        granularity: "hour",
        start_time: new Date(from).toISOString(),
        end_time: new Date(to).toISOString(),
        ...(token ? { next_token: token } : {})
      })
      pages.push(r.body)
      token = r.body.meta.next_token
    } while (token)
    const buckets = pages.flatMap((p) => p.data)
    expect(pages).toHaveLength(2)
    expect(buckets).toHaveLength(19) // 16:34:56–17:00, 17..10 whole hours (17), 10:00–10:34:56
    expect(buckets[0]).toMatchObject({ start: "2025-12-19T16:34:56.000Z", end: "2025-12-19T17:00:00.000Z" })
    expect(buckets.at(-1)).toMatchObject({ start: "2025-12-20T10:00:00.000Z", end: "2025-12-20T10:34:56.000Z" })
    const expected = TWEETS.filter((t) => Date.parse(t.created_at) >= from && Date.parse(t.created_at) < to).length
    expect(buckets.reduce((n: number, b: any) => n + b.tweet_count, 0)).toBe(expected)
    expect(pages.reduce((n, p) => n + p.meta.total_tweet_count, 0)).toBe(expected)
  })

  it("spec spelling: post_count and referenced_posts", async () => {
    const s = await start({ spelling: "post" })
    const c = await get(s, "/2/tweets/counts/recent", { query: "from:elonmusk", start_time: new Date(NOW - DAY_MS).toISOString() })
    expect(c.body.data[0]).toHaveProperty("post_count")
    expect(c.body.meta).toHaveProperty("total_post_count")
    const t = await get(s, timeline, { "post.fields": "referenced_posts" })
    expect(t.body.data[1].referenced_posts).toEqual(TWEETS[1]!.referenced_tweets)
  })

  it("enforces its rate-limit window with headers, and records the refusal", async () => {
    const s = await start({ rateLimit: { [ENDPOINTS.userTweets]: { limit: 2, windowMs: 60_000 } } })
    const a = await get(s, timeline)
    const b = await get(s, timeline)
    const c = await get(s, timeline)
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429])
    expect([a, b, c].map((r) => r.headers.get("x-rate-limit-remaining"))).toEqual(["1", "0", "0"])
    expect(Number(c.headers.get("x-rate-limit-reset")) * 1000).toBeGreaterThan(Date.now())
    expect(s.requests.map((r) => r.outcome)).toEqual(["served", "served", "rate-limited"])
    // other endpoints have their own window
    expect((await get(s, "/2/users/by/username/elonmusk")).status).toBe(200)
  })

  it("injected faults hit only the next matching requests", async () => {
    const s = await start()
    s.inject.serverError(1, { endpoint: ENDPOINTS.countsRecent })
    s.inject.rateLimited(1, { resetInSeconds: 2 })
    s.inject.partialErrors(1)
    expect((await get(s, timeline)).status).toBe(429)
    const partial = await get(s, timeline)
    expect(partial.body.errors).toHaveLength(1)
    expect(partial.body.data).toHaveLength(10)
    expect((await get(s, timeline)).body.errors).toBeUndefined()
    expect((await get(s, "/2/tweets/counts/recent", { query: "from:elonmusk" })).status).toBe(503)
    expect(s.inject.pending()).toBe(0)
  })

  it("addTweets ignores ids it already has", async () => {
    const s = await start({ tweets: TWEETS.slice(0, 5) })
    s.addTweets(TWEETS.slice(3, 8))
    const r = await get(s, timeline, { max_results: "100" })
    expect(r.body.data.map((t: any) => t.id)).toEqual(TWEETS.slice(0, 8).map((t) => t.id))
  })
})
