/**
 * Rate limits and retries against the fake X server: the client waits for a window reset instead of
 * sending, honours 429 resets, retries 503s, time-outs and dropped connections with backoff, and gives up
 * after the configured number of retries. Windows are a second or two, so the file runs in a few seconds.
 */
import { Chunk, Effect, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ENDPOINTS, XApiClient } from "../../../src/adapters/x-api/client"
import { type FakeXServer, startFakeXServer } from "../../../src/adapters/x-api/fake-server"
import { captureLogs, ELON_ID, failureOf, FAST, makeTweets, runWith } from "./helpers"

let server: FakeXServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const NOW = Date.now()
const timeline = (s: FakeXServer) => s.requests.filter((r) => r.endpoint === ENDPOINTS.userTweets)
const allPages = Stream.runCollect(Stream.unwrap(Effect.map(XApiClient, (x) => x.userTweetsPages(ELON_ID))))

describe("XApiClient rate limits", () => {
  it("waits for the reset when remaining is 0 instead of sending, and logs how long", async () => {
    const tweets = makeTweets(350, NOW - 60_000, 60_000)
    server = await startFakeXServer({ tweets, rateLimit: { limit: 2, windowMs: 1_000 } })
    const logs = captureLogs()
    const pages = await runWith(server, allPages, { logs })
    expect(Chunk.toArray(pages).flatMap((p) => p.tweets)).toHaveLength(350)
    const reqs = timeline(server)
    expect(reqs).toHaveLength(4)
    // never refused by the real window: the client did not send what the limit forbids
    expect(reqs.every((r) => r.outcome === "served" && r.status === 200)).toBe(true)
    // the second request spent the window: the third was held until it had reset
    expect(reqs[1]!.rateLimit!.remaining).toBe(0)
    expect(reqs[2]!.at).toBeGreaterThanOrEqual(reqs[1]!.rateLimit!.resetSec * 1000)
    const waits = logs.lines.filter((l) => /rate limit on GET \/2\/users\/:id\/tweets exhausted .*waiting \d/.test(l.message))
    expect(waits.length).toBeGreaterThanOrEqual(1)
  })

  it("concurrent callers together never exceed the window", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000), rateLimit: { limit: 2, windowMs: 1_000 } })
    const results = await runWith(
      server,
      Effect.flatMap(XApiClient, (x) => Effect.all(Array.from({ length: 4 }, () => x.userTweets(ELON_ID)), { concurrency: 4 }))
    )
    expect(results.every((p) => p.tweets.length === 20)).toBe(true)
    expect(server.requests).toHaveLength(4)
    expect(server.requests.filter((r) => r.outcome === "rate-limited")).toHaveLength(0)
  })

  it("429 with a reset: waits until the announced reset, then succeeds", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.rateLimited(1, { resetInSeconds: 1 })
    const logs = captureLogs()
    const page = await runWith(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)), { logs })
    expect(page.tweets).toHaveLength(20)
    const [first, second] = server.requests
    expect(first!.status).toBe(429)
    expect(second!.status).toBe(200)
    expect(second!.at).toBeGreaterThanOrEqual(first!.rateLimit!.resetSec * 1000)
    expect(logs.lines.some((l) => l.message.includes("(429)") && l.message.includes("once the window resets"))).toBe(true)
  })

  it("429 without rate-limit headers: backs off and retries", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.rateLimited(2, { headers: false })
    const page = await runWith(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)))
    expect(page.tweets).toHaveLength(20)
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200])
    // backoff 20 ms then 40 ms (no jitter)
    expect(server.requests[2]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(55)
  })

  it("a window that resets later than maxWait fails with a clear error instead of hanging", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.rateLimited(1, { resetInSeconds: 60 })
    const err = await failureOf(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)), {
      options: { ...FAST, rateLimit: { resetMargin: 0, maxWait: 5_000 } }
    })
    expect(err._tag).toBe("XApiRateLimitWaitTooLong")
    expect(err.message).toContain("run again later")
    expect(server.requests).toHaveLength(1)
  })
})

describe("XApiClient retries", () => {
  it("503 is retried with backoff until it succeeds", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.serverError(2, { status: 503 })
    const logs = captureLogs()
    const page = await runWith(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)), { logs })
    expect(page.tweets).toHaveLength(20)
    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 200])
    const retries = logs.lines.filter((l) => l.level === "WARN" && l.message.includes("server error 503"))
    expect(retries.map((l) => /retry (\d) of 4 in (\d+)ms/.exec(l.message)?.slice(1))).toEqual([["1", "20"], ["2", "40"]])
  })

  it("gives up after maxRetries with the last error", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.serverError(10, { status: 502 })
    const err = await failureOf(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)), {
      options: { ...FAST, retry: { ...FAST.retry, maxRetries: 2 } }
    })
    expect(err._tag).toBe("XApiServerError")
    expect(err.message).toContain("502")
    expect(server.requests).toHaveLength(3)
  })

  it("a slow response times out and the retry succeeds", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.slow(1, 3_000)
    const logs = captureLogs()
    const page = await runWith(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)), {
      options: { ...FAST, requestTimeout: 300 },
      logs
    })
    expect(page.tweets).toHaveLength(20)
    expect(server.requests.map((r) => r.outcome)).toEqual(["delayed", "served"])
    // the retry went out long before the slow answer would have come
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeLessThan(2_500)
    expect(logs.lines.some((l) => l.message.includes("did not answer within 300 ms"))).toBe(true)
  })

  it("time-outs on every attempt end in XApiTimeout", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.slow(3, 1_000)
    const err = await failureOf(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)), {
      options: { ...FAST, requestTimeout: 150, retry: { ...FAST.retry, maxRetries: 2 } }
    })
    expect(err._tag).toBe("XApiTimeout")
    expect(server.requests).toHaveLength(3)
  })

  it("a dropped connection is retried", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.connectionReset(1)
    const logs = captureLogs()
    const page = await runWith(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)), { logs })
    expect(page.tweets).toHaveLength(20)
    expect(server.requests.map((r) => r.outcome)).toEqual(["injected-reset", "served"])
    expect(logs.lines.some((l) => l.message.includes("could not be reached"))).toBe(true)
  })

  it("a paged run through 429s, 503s, time-outs and resets ends with exactly the served set", async () => {
    const tweets = makeTweets(420, NOW - 60_000, 60_000)
    server = await startFakeXServer({ tweets })
    server.inject.serverError(1)
    server.inject.rateLimited(1, { headers: false })
    server.inject.slow(1, 2_500)
    server.inject.connectionReset(1)
    server.inject.serverError(1, { status: 500 })
    const pages = await runWith(server, allPages, { options: { ...FAST, requestTimeout: 600, retry: { ...FAST.retry, maxRetries: 6 } } })
    const ids = Chunk.toArray(pages).flatMap((p) => p.tweets.map((t) => t.id))
    expect(ids).toHaveLength(420)
    expect(new Set(ids)).toEqual(new Set(tweets.map((t) => t.id)))
    expect(server.inject.pending()).toBe(0)
    expect(server.requests.filter((r) => r.outcome === "served")).toHaveLength(5)
  })
})
