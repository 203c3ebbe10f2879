/**
 * `serve --stream`'s filtered-stream follower against the X stand-in on 127.0.0.1 (keep-alives every
 * 100 ms; back-off delays scaled down 500x, the same policy): rules are synced to `from:<account>`,
 * streamed posts land as TweetObserved for their account, and the connection survives a network drop
 * with connects refused meanwhile (posts made while disconnected are fetched by the catch-up poll), a
 * 429 on connect, a stall (no keep-alive: the silence counts as a drop), and a malformed line.
 */
import { Effect, Fiber, Ref } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeXServer, startFakeXServer } from "../../src/adapters/x-api/fake-server"
import { XApiClient } from "../../src/adapters/x-api/client"
import { ENDPOINTS } from "../../src/adapters/x-api/endpoints"
import { ingestAccount, lookupAccount } from "../../src/programs/ingest/run"
import { followStream, type StreamCounters } from "../../src/programs/serve/stream"
import { makePosts, tweetsOf, withEmbeddedStore } from "./ingest-support"

const NOW = Date.now()
const MIN = 60_000
const ELON = { id: "44196397", username: "elonmusk" }
const FAN = { id: "1234567", username: "tesla_fan" }
const store = withEmbeddedStore()
let server: FakeXServer

beforeAll(async () => {
  server = await startFakeXServer({ users: [ELON, FAN], tweets: makePosts(ELON.id, 20, NOW - 60 * MIN, 2 * MIN, 1), streamKeepAliveMs: 100 })
})
afterAll(async () => {
  await server.close()
})

/** Polls `check` every 50 ms until it holds (or fails after `ms`). */
const until = (what: string, check: () => boolean | Promise<boolean>, ms = 15_000) =>
  Effect.promise(async () => {
    const end = Date.now() + ms
    while (Date.now() < end) {
      if (await check()) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`timed out waiting for ${what}`)
  })

describe("the filtered stream follower", () => {
  it("syncs rules, appends streamed posts per account, and reconnects through drops, 429, stalls and malformed lines", async () => {
    const accounts = ["elonmusk", "tesla_fan"]
    let catchUps = 0
    const catchUp = Effect.forEach(accounts, (account) => Effect.flatMap(lookupAccount(account), (user) => ingestAccount(user, { account })), { discard: true }).pipe(
      Effect.tap(() => Effect.sync(() => catchUps++))
    )
    const ids = (account: string) => Effect.map(tweetsOf(account), (rows) => new Set(rows.map((r) => r.id)))

    await store.run(
      Effect.gen(function* () {
        const client = yield* XApiClient
        // A rule another tool made stays; MuskTracker's rule for an account it no longer tracks goes.
        yield* client.changeStreamRules({ add: [{ value: "from:tesla_fan", tag: "dashboard" }] })
        const counters: StreamCounters = { connects: yield* Ref.make(0), reconnects: yield* Ref.make(0), posts: yield* Ref.make(0) }
        const fiber = yield* Effect.fork(followStream(accounts, catchUp, counters, { keepAliveTimeoutMs: 600, backoffScale: 0.002 }))
        yield* until("the first connection", () => server.stream.connections() === 1)
        expect(server.stream.rules().map((r) => [r.value, r.tag]).sort()).toEqual([
          ["from:elonmusk", "musktracker:elonmusk"],
          ["from:tesla_fan", "dashboard"]
        ])
        // The catch-up of the first connection fetched the 20 older posts.
        yield* until("the first catch-up", () => catchUps >= 1)
        expect((yield* ids("elonmusk")).size).toBe(20)

        // Live posts, of both accounts (one through the other tool's rule), arrive through the stream alone.
        const live = makePosts(ELON.id, 3, NOW - 1 * MIN, 10_000, 2)
        const fanLive = makePosts(FAN.id, 2, NOW - 1 * MIN, 10_000, 3)
        const pollsBefore = server.requests.filter((r) => r.endpoint === ENDPOINTS.userTweets).length
        server.addTweets([...live, ...fanLive])
        const streamedIds = [...live.map((p) => p.id)]
        yield* Effect.flatMap(Effect.succeed(0), () =>
          until("the streamed posts", async () => {
            const have = await store.local(ids("elonmusk"))
            const fan = await store.local(ids("tesla_fan"))
            return streamedIds.every((id) => have.has(id)) && fanLive.every((p) => fan.has(p.id))
          })
        )
        expect(server.requests.filter((r) => r.endpoint === ENDPOINTS.userTweets).length).toBe(pollsBefore)
        expect(yield* Ref.get(counters.posts)).toBe(5)

        // A drop, with the next three connects refused (503): posts made meanwhile come in by the catch-up.
        const acceptedBefore = server.stream.accepted()
        server.stream.rejectConnects(3, 503)
        server.stream.disconnectAll()
        const missed = makePosts(ELON.id, 2, NOW - 30_000, 5_000, 4)
        server.addTweets(missed)
        yield* until("the reconnect after the 503s", () => server.stream.accepted() === acceptedBefore + 1)
        yield* until("the catch-up of the missed posts", async () => {
          const have = await store.local(ids("elonmusk"))
          return missed.every((p) => have.has(p.id))
        })
        const streamRequests = server.requests.filter((r) => r.path === "/2/tweets/search/stream")
        expect(streamRequests.slice(-4).map((r) => r.status)).toEqual([503, 503, 503, 200])

        // 429 on connect: the rate-limited back-off (a minute, scaled), then connected again.
        const before429 = server.stream.accepted()
        server.stream.rejectConnects(1, 429)
        server.stream.disconnectAll()
        yield* until("the reconnect after a 429", () => server.stream.accepted() === before429 + 1)

        // A stall: no keep-alive for longer than the timeout counts as a drop.
        const beforeStall = server.stream.accepted()
        server.stream.stall()
        yield* until("the reconnect after a stall", () => server.stream.accepted() === beforeStall + 1)

        // A malformed line is skipped; the next post still arrives.
        server.stream.sendMalformed()
        const after = makePosts(ELON.id, 1, NOW - 5_000, 1_000, 5)
        server.addTweets(after)
        yield* until("a post after a malformed line", async () => (await store.local(ids("elonmusk"))).has(after[0]!.id))

        expect(yield* Ref.get(counters.reconnects)).toBeGreaterThanOrEqual(6)
        expect(yield* Ref.get(counters.connects)).toBe(server.stream.accepted())
        yield* Fiber.interrupt(fiber)
        yield* until("the connection to close", () => server.stream.connections() === 0, 5_000)
        // Every post once: 20 older, 3 + 2 live, 2 missed, 1 after.
        expect((yield* ids("elonmusk")).size).toBe(26)
        expect((yield* ids("tesla_fan")).size).toBe(2)
      }),
      server
    )
  }, 120_000)
})
