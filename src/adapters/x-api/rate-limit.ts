/**
 * Per-endpoint rate-limit bookkeeping from X's response headers. Requests on one endpoint go one at a
 * time through `run`, which waits while the window is known to be exhausted, so the client never sends
 * a request the announced limit forbids (even with concurrent callers). Time comes from Effect's Clock,
 * so tests may drive it with TestClock.
 */
import { Clock, Duration, Effect, Ref } from "effect"
import { XApiRateLimitWaitTooLong } from "./errors"

export interface RateLimitWindow {
  /** Requests allowed per window (x-rate-limit-limit), when sent. */
  readonly limit: number | undefined
  readonly remaining: number
  /** Epoch ms at which the window resets (x-rate-limit-reset is Unix seconds). */
  readonly resetAtMs: number
}

type HeaderBag = Readonly<Record<string, string | undefined>>

const int = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined
  const n = Number(raw.trim())
  return Number.isFinite(n) && raw.trim() !== "" ? Math.trunc(n) : undefined
}

/**
 * The window announced by a response, or undefined when it carries no rate-limit headers. When the
 * 24-hour app or user cap (x-app-limit-24hour-*, x-user-limit-24hour-*) is exhausted it wins, since no
 * request can pass before it resets.
 */
export const parseRateLimitHeaders = (headers: HeaderBag): RateLimitWindow | undefined => {
  for (const prefix of ["x-app-limit-24hour", "x-user-limit-24hour"]) {
    const remaining = int(headers[`${prefix}-remaining`])
    const reset = int(headers[`${prefix}-reset`])
    if (remaining !== undefined && reset !== undefined && remaining <= 0) {
      return { limit: int(headers[`${prefix}-limit`]), remaining: 0, resetAtMs: reset * 1000 }
    }
  }
  const remaining = int(headers["x-rate-limit-remaining"])
  const reset = int(headers["x-rate-limit-reset"])
  if (remaining === undefined || reset === undefined) return undefined
  return { limit: int(headers["x-rate-limit-limit"]), remaining: Math.max(0, remaining), resetAtMs: reset * 1000 }
}

export interface RateLimiterOptions {
  /** Extra wait after the announced reset, for clock skew between X and this machine. */
  readonly marginMs: number
  /** Longest wait for a reset; beyond it the request fails with XApiRateLimitWaitTooLong. */
  readonly maxWaitMs: number
}

/** What the limiter needs to know of a completed exchange. */
export interface ExchangeOutcome {
  readonly status: number
  readonly headers: HeaderBag
}

export interface RateLimiter {
  /**
   * Send one request on `endpoint`: wait while its window is exhausted, send, then record the window
   * the response announces. A failed send (timeout, network) is counted against the known window.
   */
  readonly run: <A extends ExchangeOutcome, E, R>(
    endpoint: string,
    send: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | XApiRateLimitWaitTooLong, R>
  /** The last known window of every endpoint seen. */
  readonly snapshot: Effect.Effect<ReadonlyMap<string, RateLimitWindow>>
  /** Requests sent, failed sends and answers (status >= 400), and waits for a window reset, so far. */
  readonly stats: Effect.Effect<RequestStats>
}

export interface RequestStats {
  readonly requests: number
  readonly errors: number
  readonly rateLimitWaits: number
  readonly rateLimitWaitMs: number
}

const formatWait = (ms: number): string => Duration.format(Duration.millis(Math.ceil(ms)))

export const makeRateLimiter = (options: RateLimiterOptions): Effect.Effect<RateLimiter> =>
  Effect.gen(function* () {
    const windows = yield* Ref.make(new Map<string, RateLimitWindow>())
    const counters = { requests: 0, errors: 0, rateLimitWaits: 0, rateLimitWaitMs: 0 }
    const locks = new Map<string, Effect.Semaphore>()
    const lockFor = (endpoint: string): Effect.Semaphore => {
      let lock = locks.get(endpoint)
      if (!lock) {
        lock = Effect.unsafeMakeSemaphore(1)
        locks.set(endpoint, lock)
      }
      return lock
    }

    const setWindow = (endpoint: string, w: RateLimitWindow) =>
      Ref.update(windows, (m) => new Map(m).set(endpoint, w))

    /** Wait until the endpoint's window allows a request. */
    const gate = (endpoint: string) =>
      Effect.gen(function* () {
        const w = (yield* Ref.get(windows)).get(endpoint)
        if (!w || w.remaining > 0) return
        const now = yield* Clock.currentTimeMillis
        const waitMs = w.resetAtMs + options.marginMs - now
        if (waitMs <= 0) return
        if (waitMs > options.maxWaitMs) {
          return yield* new XApiRateLimitWaitTooLong({ endpoint, resetAtMs: w.resetAtMs, waitMs, maxWaitMs: options.maxWaitMs })
        }
        yield* Effect.logInfo(
          `X API rate limit on ${endpoint} exhausted${w.limit !== undefined ? ` (${w.limit} requests per window)` : ""}; ` +
            `waiting ${formatWait(waitMs)} until the window resets at ${new Date(w.resetAtMs).toISOString()}`
        )
        counters.rateLimitWaits++
        counters.rateLimitWaitMs += waitMs
        yield* Effect.sleep(Duration.millis(waitMs))
      })

    /** Without headers, count the request against a still-running known window. */
    const countBlind = (endpoint: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.update(windows, (m) => {
          const w = m.get(endpoint)
          if (!w || now >= w.resetAtMs) return m
          return new Map(m).set(endpoint, { ...w, remaining: Math.max(0, w.remaining - 1) })
        })
      )

    const record = (endpoint: string, outcome: ExchangeOutcome) => {
      if (outcome.status >= 400) counters.errors++
      const announced = parseRateLimitHeaders(outcome.headers)
      if (!announced) return countBlind(endpoint)
      // A 429 means the window is spent, whatever `remaining` says.
      return setWindow(endpoint, outcome.status === 429 ? { ...announced, remaining: 0 } : announced)
    }

    const run = <A extends ExchangeOutcome, E, R>(endpoint: string, send: Effect.Effect<A, E, R>) =>
      lockFor(endpoint).withPermits(1)(
        gate(endpoint).pipe(
          Effect.zipRight(
            Effect.sync(() => void counters.requests++).pipe(
              Effect.zipRight(send),
              Effect.tapBoth({
                onSuccess: (a) => record(endpoint, a),
                onFailure: () => Effect.zipRight(Effect.sync(() => void counters.errors++), countBlind(endpoint))
              })
            )
          )
        )
      )

    return { run, snapshot: Ref.get(windows), stats: Effect.sync((): RequestStats => ({ ...counters })) }
  })
