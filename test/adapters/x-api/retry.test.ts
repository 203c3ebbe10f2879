/** The retry schedule: exponential, capped, bounded, only for retryable failures; driven by TestClock. */
import { it } from "@effect/vitest"
import { Duration, Effect, Fiber, Random, Ref, TestClock } from "effect"
import { describe, expect } from "vitest"
import { XApiBadRequest, type XApiError, XApiRateLimited, XApiServerError } from "../../../src/adapters/x-api/errors"
import { retrySchedule } from "../../../src/adapters/x-api/retry"

const E = "GET /x"
const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 500, jitter: false }

/** Fails `failures` times with `error` (recording when each attempt ran), then succeeds. */
const flaky = (times: Ref.Ref<number[]>, failures: number, error: XApiError) =>
  Effect.gen(function* () {
    const now = yield* TestClock.currentTimeMillis
    const n = (yield* Ref.updateAndGet(times, (t) => [...t, now])).length
    if (n <= failures) return yield* Effect.fail(error)
    return "ok"
  })

describe("retrySchedule", () => {
  it.effect("backs off 100, 200, 400, then caps at 500 ms", () =>
    Effect.gen(function* () {
      const times = yield* Ref.make<number[]>([])
      const fiber = yield* Effect.fork(Effect.retry(flaky(times, 5, new XApiServerError({ endpoint: E, status: 503 })), retrySchedule(policy)))
      yield* TestClock.adjust(Duration.seconds(10))
      expect(yield* Fiber.join(fiber)).toBe("ok")
      const t = yield* Ref.get(times)
      expect(t.slice(1).map((x, i) => x - t[i]!)).toEqual([100, 200, 400, 500, 500])
    }))

  it.effect("stops after maxRetries with the last error", () =>
    Effect.gen(function* () {
      const times = yield* Ref.make<number[]>([])
      const fiber = yield* Effect.fork(Effect.retry(flaky(times, 99, new XApiServerError({ endpoint: E, status: 500 })), retrySchedule(policy)))
      yield* TestClock.adjust(Duration.seconds(60))
      const err = yield* Effect.flip(Fiber.join(fiber))
      expect(err._tag).toBe("XApiServerError")
      expect((yield* Ref.get(times)).length).toBe(6)
    }))

  it.effect("does not retry a 400", () =>
    Effect.gen(function* () {
      const times = yield* Ref.make<number[]>([])
      const err = yield* Effect.flip(Effect.retry(flaky(times, 3, new XApiBadRequest({ endpoint: E })), retrySchedule(policy)))
      expect(err._tag).toBe("XApiBadRequest")
      expect((yield* Ref.get(times)).length).toBe(1)
    }))

  it.effect("a 429 with a known reset retries at once (the rate limiter does the waiting)", () =>
    Effect.gen(function* () {
      const times = yield* Ref.make<number[]>([])
      const result = yield* Effect.retry(flaky(times, 2, new XApiRateLimited({ endpoint: E, resetAtMs: 5_000 })), retrySchedule(policy))
      expect(result).toBe("ok")
      expect(yield* Ref.get(times)).toEqual([0, 0, 0])
    }))

  it.effect("jitter stays within ×0.8..1.2 and is reproducible with a seeded Random", () =>
    Effect.gen(function* () {
      const run = Effect.gen(function* () {
        const times = yield* Ref.make<number[]>([])
        const fiber = yield* Effect.fork(
          Effect.retry(flaky(times, 3, new XApiServerError({ endpoint: E, status: 503 })), retrySchedule({ ...policy, maxDelayMs: 10_000, jitter: true }))
        )
        yield* TestClock.adjust(Duration.seconds(10))
        yield* Fiber.join(fiber)
        const t = yield* Ref.get(times)
        return t.slice(1).map((x, i) => x - t[i]!)
      })
      const a = yield* run.pipe(Effect.withRandom(Random.make("seed")))
      const b = yield* run.pipe(Effect.withRandom(Random.make("seed")))
      expect(b).toHaveLength(3)
      a.forEach((d, i) => expect(b[i]!).toBeCloseTo(d, 6))
      // not simply the un-jittered delays
      expect(a.some((d, i) => Math.abs(d - [100, 200, 400][i]!) > 0.5)).toBe(true)
      ;[100, 200, 400].forEach((base, i) => {
        expect(a[i]!).toBeGreaterThanOrEqual(base * 0.8)
        expect(a[i]!).toBeLessThanOrEqual(base * 1.2)
      })
    }))
})
