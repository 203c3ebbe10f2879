/** The rate limiter's bookkeeping and waiting, driven by TestClock (no real time passes). */
import { it } from "@effect/vitest"
import { Duration, Effect, Fiber, Ref, TestClock } from "effect"
import { describe, expect } from "vitest"
import { makeRateLimiter, parseRateLimitHeaders } from "../../../src/adapters/x-api/rate-limit"

const E = "GET /2/users/:id/tweets"
const headers = (remaining: number, resetSec: number, limit = 10) => ({
  "x-rate-limit-limit": String(limit),
  "x-rate-limit-remaining": String(remaining),
  "x-rate-limit-reset": String(resetSec)
})

describe("parseRateLimitHeaders", () => {
  it("reads limit, remaining and reset (Unix seconds → ms)", () => {
    expect(parseRateLimitHeaders(headers(3, 1_700_000_000, 900))).toEqual({ limit: 900, remaining: 3, resetAtMs: 1_700_000_000_000 })
  })
  it("is undefined without remaining or reset, or with garbage", () => {
    expect(parseRateLimitHeaders({})).toBeUndefined()
    expect(parseRateLimitHeaders({ "x-rate-limit-remaining": "3" })).toBeUndefined()
    expect(parseRateLimitHeaders({ "x-rate-limit-remaining": "x", "x-rate-limit-reset": "5" })).toBeUndefined()
  })
  it("an exhausted 24-hour app cap wins over the 15-minute window", () => {
    const w = parseRateLimitHeaders({
      ...headers(5, 1_000),
      "x-app-limit-24hour-limit": "10000",
      "x-app-limit-24hour-remaining": "0",
      "x-app-limit-24hour-reset": "90000"
    })
    expect(w).toEqual({ limit: 10000, remaining: 0, resetAtMs: 90_000_000 })
  })
})

/** A fake exchange that answers with `h` headers and counts its sends. */
const exchange = (sent: Ref.Ref<number>, status: number, h: Record<string, string>) =>
  Effect.as(Ref.update(sent, (n) => n + 1), { status, headers: h })

describe("makeRateLimiter", () => {
  it.effect("holds the next request until the reset when remaining is 0, then sends it", () =>
    Effect.gen(function* () {
      const limiter = yield* makeRateLimiter({ marginMs: 500, maxWaitMs: 60_000 })
      const sent = yield* Ref.make(0)
      // TestClock starts at 0: the window resets at t = 10 s
      yield* limiter.run(E, exchange(sent, 200, headers(0, 10)))
      expect(yield* Ref.get(sent)).toBe(1)
      const next = yield* Effect.fork(limiter.run(E, exchange(sent, 200, headers(9, 20))))
      yield* TestClock.adjust(Duration.millis(10_000))
      expect(yield* Ref.get(sent)).toBe(1) // still waiting: margin not yet passed
      yield* TestClock.adjust(Duration.millis(500))
      yield* Fiber.join(next)
      expect(yield* Ref.get(sent)).toBe(2)
      expect((yield* limiter.snapshot).get(E)).toEqual({ limit: 10, remaining: 9, resetAtMs: 20_000 })
    }))

  it.effect("does not wait while requests remain, nor on another endpoint", () =>
    Effect.gen(function* () {
      const limiter = yield* makeRateLimiter({ marginMs: 0, maxWaitMs: 60_000 })
      const sent = yield* Ref.make(0)
      yield* limiter.run(E, exchange(sent, 200, headers(1, 100)))
      yield* limiter.run(E, exchange(sent, 200, headers(0, 100)))
      yield* limiter.run("GET /other", exchange(sent, 200, headers(5, 100)))
      expect(yield* Ref.get(sent)).toBe(3)
    }))

  it.effect("a 429 spends the window even if its remaining header says otherwise", () =>
    Effect.gen(function* () {
      const limiter = yield* makeRateLimiter({ marginMs: 0, maxWaitMs: 60_000 })
      const sent = yield* Ref.make(0)
      yield* limiter.run(E, exchange(sent, 429, headers(4, 30)))
      expect((yield* limiter.snapshot).get(E)?.remaining).toBe(0)
      const next = yield* Effect.fork(limiter.run(E, exchange(sent, 200, headers(9, 60))))
      yield* TestClock.adjust(Duration.millis(29_999))
      expect(yield* Ref.get(sent)).toBe(1)
      yield* TestClock.adjust(Duration.millis(1))
      yield* Fiber.join(next)
      expect(yield* Ref.get(sent)).toBe(2)
    }))

  it.effect("concurrent requests on one endpoint go one at a time and respect the window", () =>
    Effect.gen(function* () {
      const limiter = yield* makeRateLimiter({ marginMs: 0, maxWaitMs: 60_000 })
      const sent = yield* Ref.make(0)
      yield* limiter.run(E, exchange(sent, 200, headers(1, 5)))
      // two callers, one request left in the window: the second must wait for t = 5 s
      const both = yield* Effect.fork(
        Effect.all([limiter.run(E, exchange(sent, 200, headers(0, 5))), limiter.run(E, exchange(sent, 200, headers(8, 10)))], {
          concurrency: 2
        })
      )
      yield* TestClock.adjust(Duration.millis(1_000))
      expect(yield* Ref.get(sent)).toBe(2)
      yield* TestClock.adjust(Duration.millis(4_000))
      yield* Fiber.join(both)
      expect(yield* Ref.get(sent)).toBe(3)
    }))

  it.effect("a failed send without headers still counts against the known window", () =>
    Effect.gen(function* () {
      const limiter = yield* makeRateLimiter({ marginMs: 0, maxWaitMs: 60_000 })
      const sent = yield* Ref.make(0)
      yield* limiter.run(E, exchange(sent, 200, headers(1, 5)))
      yield* Effect.either(limiter.run(E, Effect.zipRight(Ref.update(sent, (n) => n + 1), Effect.fail("timeout"))))
      expect((yield* limiter.snapshot).get(E)?.remaining).toBe(0)
    }))

  it.effect("refuses to wait longer than maxWait", () =>
    Effect.gen(function* () {
      const limiter = yield* makeRateLimiter({ marginMs: 0, maxWaitMs: 60_000 })
      const sent = yield* Ref.make(0)
      yield* limiter.run(E, exchange(sent, 200, headers(0, 24 * 3600)))
      const err = yield* Effect.flip(limiter.run(E, exchange(sent, 200, headers(9, 99_999))))
      expect(err._tag).toBe("XApiRateLimitWaitTooLong")
      expect(yield* Ref.get(sent)).toBe(1)
    }))
})
