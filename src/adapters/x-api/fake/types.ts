/** The X API stand-in's public shapes: what a test gives it and what it hands back. */
import type { Endpoint } from "../endpoints"
import type { StreamControl } from "./stream"

export interface FakeTweet {
  readonly id: string
  /** RFC 3339 UTC, e.g. 2025-07-07T12:00:00.000Z. */
  readonly created_at: string
  readonly author_id: string
  readonly referenced_tweets?: ReadonlyArray<{ readonly type: string; readonly id: string }>
  readonly text?: string
  readonly conversation_id?: string
  readonly in_reply_to_user_id?: string
}

export interface FakeUser {
  readonly id: string
  readonly username: string
  readonly name?: string
  /** Suspended: X answers its lookup and timeline with a Forbidden problem and no data. */
  readonly suspended?: boolean
}

export interface RateLimitSpec {
  /** Requests per window. */
  readonly limit: number
  readonly windowMs: number
}

export interface FakeXServerOptions {
  readonly tweets?: ReadonlyArray<FakeTweet>
  /** Default: @elonmusk (id 44196397). */
  readonly users?: ReadonlyArray<FakeUser>
  /** The only bearer token accepted (default "test-token"). */
  readonly token?: string
  /** The data clock: "now" for the 7-day reach of search and counts (default Date.now). */
  readonly now?: () => number
  /** How many of an author's most recent posts the user timeline reaches (default 3,200). */
  readonly timelineCap?: number
  /** Rate-limit window, for every endpoint or per endpoint (default 900 per 15 min). */
  readonly rateLimit?: RateLimitSpec | Partial<Record<Endpoint, RateLimitSpec>>
  /** Count buckets per counts page before a `next_token` (default 168). */
  readonly countsPageSize?: number
  /** Field spelling of responses: `tweet` (live traffic, default) or `post` (the OpenAPI spec). */
  readonly spelling?: "tweet" | "post"
  /** Milliseconds between the filtered stream's keep-alive newlines (default 20,000, as X sends them). */
  readonly streamKeepAliveMs?: number
  readonly port?: number
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly endpoint: Endpoint | undefined
  readonly query: Readonly<Record<string, string>>
  /** Epoch ms (wall clock) of arrival. */
  readonly at: number
  status: number
  /** The rate-limit headers the answer carried, if any. */
  rateLimit?: { readonly limit: number; readonly remaining: number; readonly resetSec: number }
  /**
   * served | unauthorized | rate-limited (the client exceeded a real window) | injected-429 |
   * injected-status | injected-reset | delayed | malformed | partial-errors | bad-request | not-found
   */
  outcome: string
}

export type EndpointFilter = { readonly endpoint?: Endpoint }

export interface FaultInjector {
  /** The next `n` requests get a 429 (with a reset `resetInSeconds` ahead unless `headers: false`). */
  readonly rateLimited: (n?: number, o?: EndpointFilter & { resetInSeconds?: number; headers?: boolean }) => void
  /** The next `n` requests get this status (default 503) with a problem body. */
  readonly serverError: (n?: number, o?: EndpointFilter & { status?: number }) => void
  /**
   * The next `n` requests get this status (default 500) with a body that echoes the request's URL and
   * headers, as a misconfigured proxy or debug server does (the client must not print what it echoes).
   */
  readonly echoHeaders: (n?: number, o?: EndpointFilter & { status?: number }) => void
  /** The next `n` responses are held `delayMs` before being served. */
  readonly slow: (n: number, delayMs: number, o?: EndpointFilter) => void
  /** The next `n` connections are destroyed without an answer. */
  readonly connectionReset: (n?: number, o?: EndpointFilter) => void
  /** The next `n` 200 bodies lack `field` in their first data item (default: created_at, start or id). */
  readonly missingField: (n?: number, o?: EndpointFilter & { field?: string }) => void
  /** The next `n` 200 bodies are not JSON. */
  readonly notJson: (n?: number, o?: EndpointFilter) => void
  /** The next `n` 200 bodies carry a partial `errors` array beside their data. */
  readonly partialErrors: (n?: number, o?: EndpointFilter & { errors?: ReadonlyArray<unknown> }) => void
  /** Drop every pending fault. */
  readonly clear: () => void
  /** Faults not yet consumed. */
  readonly pending: () => number
}

export interface FakeXServer {
  /** Base URL, e.g. http://127.0.0.1:40123 (for X_API_BASE_URL). */
  readonly url: string
  readonly token: string
  /** Every request so far, in arrival order (a live array). */
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly inject: FaultInjector
  /** Add tweets (duplicates by id are ignored), e.g. to simulate new posts between runs; open filtered streams whose rules match get them. */
  readonly addTweets: (tweets: ReadonlyArray<FakeTweet>) => void
  /** The filtered stream: its rules, open connections and scripted faults (./stream.ts). */
  readonly stream: StreamControl
  readonly close: () => Promise<void>
}
