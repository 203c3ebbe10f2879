/** Tunables of the X API client; the defaults suit the live API, tests shrink the waits. */
import { Duration } from "effect"

export interface XApiClientOptions {
  /** Per-attempt limit on a request and its body (default 30 s). */
  readonly requestTimeout?: Duration.DurationInput
  readonly retry?: {
    /** Retries after the first attempt, for 429, 5xx, network errors and time-outs (default 6). */
    readonly maxRetries?: number
    /** First backoff delay; doubles each retry (default 1 s). */
    readonly baseDelay?: Duration.DurationInput
    /** Cap on one backoff delay (default 60 s). */
    readonly maxDelay?: Duration.DurationInput
    /** Randomise each delay by ×0.8..1.2 (Effect's `Random`; default true). Tests may turn it off. */
    readonly jitter?: boolean
  }
  readonly rateLimit?: {
    /** Extra wait after an announced reset, for clock skew (default 1 s). */
    readonly resetMargin?: Duration.DurationInput
    /** Longest wait for a window reset before failing (default 20 min; X windows are 15 min). */
    readonly maxWait?: Duration.DurationInput
  }
  /**
   * Which spelling of the field-selection parameter to send: `tweet` (`tweet.fields=…referenced_tweets`,
   * what the live API accepts today, default) or `post` (`post.fields=…referenced_posts`, the spec's).
   */
  readonly fieldSpelling?: "tweet" | "post"
}

export interface ResolvedOptions {
  readonly timeoutMs: number
  readonly maxRetries: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly jitter: boolean
  readonly resetMarginMs: number
  readonly maxWaitMs: number
  readonly fieldSpelling: "tweet" | "post"
}

const ms = (d: Duration.DurationInput | undefined, fallback: number): number =>
  d === undefined ? fallback : Duration.toMillis(Duration.decode(d))

export const resolveOptions = (o: XApiClientOptions = {}): ResolvedOptions => ({
  timeoutMs: ms(o.requestTimeout, 30_000),
  maxRetries: o.retry?.maxRetries ?? 6,
  baseDelayMs: ms(o.retry?.baseDelay, 1_000),
  maxDelayMs: ms(o.retry?.maxDelay, 60_000),
  jitter: o.retry?.jitter ?? true,
  resetMarginMs: ms(o.rateLimit?.resetMargin, 1_000),
  maxWaitMs: ms(o.rateLimit?.maxWait, 20 * 60_000),
  fieldSpelling: o.fieldSpelling ?? "tweet"
})
