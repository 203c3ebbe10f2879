/**
 * The X API v2 client service: user lookup, user timeline, recent search and recent counts, each page
 * decoded with effect/Schema, with rate limits honoured and transient failures retried (see http.ts).
 * The bearer token comes from AppConfig; without one every operation fails with XApiMissingToken, so a
 * program can build this layer and still run commands that never call X.
 */
import { HttpClient } from "@effect/platform"
import { Context, Effect, Layer, Option, Schema, Stream } from "effect"
import { AppConfig } from "../config"
import { XApiBadRequest, type XApiError, XApiMissingToken, XApiUserNotFound, XApiUserUnavailable } from "./errors"
import { ENDPOINTS } from "./endpoints"
import { makeXHttp, type XHttp } from "./http"
import { resolveOptions, type XApiClientOptions } from "./options"
import { makeRateLimiter, type RateLimitWindow, type RequestStats } from "./rate-limit"
import {
  type CountBucket,
  CountsResponse,
  describeProblem,
  StreamLine,
  type StreamRule,
  StreamRulesChangeResponse,
  StreamRulesResponse,
  TweetPageResponse,
  UserLookupResponse,
  type XProblem,
  type XTweet,
  type XUser
} from "./schemas"
import { toIsoUtc } from "../../domain/time"

export { ENDPOINTS }

/** Fields requested on every post (author_id lets search results be attributed). */
export const TWEET_FIELDS = ["created_at", "author_id", "referenced_tweets", "conversation_id", "in_reply_to_user_id", "public_metrics"]

/** An instant: epoch milliseconds or a Date. Sent as RFC 3339 UTC. */
export type Instant = number | Date

export interface PageOptions {
  /** Only posts with an id greater than this (the incremental cursor). */
  readonly sinceId?: string
  readonly untilId?: string
  /** Inclusive. */
  readonly startTime?: Instant
  /** Exclusive. */
  readonly endTime?: Instant
  readonly paginationToken?: string
  /** Page size; default 100, the maximum. */
  readonly maxResults?: number
}

export interface TweetPage {
  readonly endpoint: string
  readonly tweets: ReadonlyArray<XTweet>
  readonly resultCount: number
  readonly newestId: string | undefined
  readonly oldestId: string | undefined
  /** Token of the next (older) page; undefined on the last page. */
  readonly nextToken: string | undefined
  /** Partial errors X returned beside the data (already logged). */
  readonly errors: ReadonlyArray<XProblem>
}

export interface CountsOptions {
  readonly startTime?: Instant
  readonly endTime?: Instant
  readonly granularity?: "minute" | "hour" | "day"
}

export interface CountsResult {
  /** Buckets of every page, oldest first. */
  readonly buckets: ReadonlyArray<CountBucket>
  /** Sum of the buckets. */
  readonly total: number
  readonly pages: number
  readonly errors: ReadonlyArray<XProblem>
}

export interface XApiClientService {
  /** The account for `username` (a leading @ is ignored); XApiUserNotFound when X has none. */
  readonly lookupUser: (username: string) => Effect.Effect<XUser, XApiError>
  /** One page of a user's timeline, newest first (X reaches only the 3,200 most recent posts). */
  readonly userTweets: (userId: string, options?: PageOptions) => Effect.Effect<TweetPage, XApiError>
  /** Every page of the timeline from `options.paginationToken` (or the first) on. */
  readonly userTweetsPages: (userId: string, options?: PageOptions) => Stream.Stream<TweetPage, XApiError>
  /** One page of recent search (last 7 days), e.g. `from:elonmusk`. */
  readonly searchRecent: (query: string, options?: PageOptions) => Effect.Effect<TweetPage, XApiError>
  readonly searchRecentPages: (query: string, options?: PageOptions) => Stream.Stream<TweetPage, XApiError>
  /** Counts of posts matching `query` over the last 7 days, following every next_token page. */
  readonly countsRecent: (query: string, options?: CountsOptions) => Effect.Effect<CountsResult, XApiError>
  /** Last known rate-limit window per endpoint. */
  readonly rateLimits: Effect.Effect<ReadonlyMap<string, RateLimitWindow>>
  /** Requests, errors and rate-limit waits of this client so far. */
  readonly stats: Effect.Effect<RequestStats>
  /** The app's filtered-stream rules. */
  readonly streamRules: Effect.Effect<ReadonlyArray<StreamRule>, XApiError>
  /** Adds and deletes filtered-stream rules. */
  readonly changeStreamRules: (change: { readonly add?: ReadonlyArray<{ readonly value: string; readonly tag: string }>; readonly delete?: ReadonlyArray<string> }) => Effect.Effect<void, XApiError>
  /**
   * One connection to the filtered stream: its messages as they arrive, until X or the network ends it
   * (then it ends or fails; reconnecting is the caller's, with X's back-off).
   */
  readonly filteredStream: Stream.Stream<StreamMessage, XApiError>
}

/** What one line of the filtered stream says. */
export type StreamMessage =
  | { readonly _tag: "KeepAlive" }
  | { readonly _tag: "Post"; readonly tweet: XTweet; readonly rules: ReadonlyArray<{ readonly id: string; readonly tag?: string | undefined }> }
  | { readonly _tag: "Notice"; readonly errors: ReadonlyArray<XProblem> }
  | { readonly _tag: "Malformed"; readonly reason: string }

/** A stream line as a message (pure): blank lines are keep-alives; a line that does not decode is Malformed, never fatal. */
export const streamMessageOf = (line: string): StreamMessage => {
  if (line.trim() === "") return { _tag: "KeepAlive" }
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch (e) {
    return { _tag: "Malformed", reason: `not JSON (${(e as Error).message})` }
  }
  const decoded = Schema.decodeUnknownEither(StreamLine)(json)
  if (decoded._tag === "Left") return { _tag: "Malformed", reason: decoded.left.message.split("\n")[0]! }
  const d = decoded.right
  if (d.data !== undefined) return { _tag: "Post", tweet: d.data, rules: d.matching_rules ?? [] }
  if (d.errors !== undefined && d.errors.length > 0) return { _tag: "Notice", errors: d.errors }
  return { _tag: "Malformed", reason: "neither data nor errors" }
}

export class XApiClient extends Context.Tag("musktracker/XApiClient")<XApiClient, XApiClientService>() {}

/** The search query for every post of an account. */
export const fromAccountQuery = (account: string): string => `from:${account.replace(/^@/, "")}`

const iso = (t: Instant | undefined): string | undefined =>
  t === undefined ? undefined : toIsoUtc(typeof t === "number" ? t : t.getTime())

const logPartialErrors = (endpoint: string, errors: ReadonlyArray<XProblem> | undefined) =>
  errors && errors.length > 0
    ? Effect.as(
        Effect.logWarning(
          `X API ${endpoint} returned ${errors.length} partial error(s) beside its data: ${errors.map(describeProblem).join(" | ")}`
        ),
        errors
      )
    : Effect.succeed([] as ReadonlyArray<XProblem>)

const isNotFound = (p: XProblem): boolean =>
  (p.type ?? "").endsWith("/resource-not-found") || p.title === "Not Found Error"

export const makeXApiClient = (
  options?: XApiClientOptions
): Effect.Effect<XApiClientService, never, HttpClient.HttpClient | AppConfig> =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const client = yield* HttpClient.HttpClient
    const resolved = resolveOptions(options)
    const limiter = yield* makeRateLimiter({ marginMs: resolved.resetMarginMs, maxWaitMs: resolved.maxWaitMs })
    const http: Effect.Effect<XHttp, XApiMissingToken> = Option.match(config.xBearerToken, {
      onNone: () => Effect.fail(new XApiMissingToken({ variable: "X_BEARER_TOKEN" })),
      onSome: (token) =>
        Effect.succeed(makeXHttp({ client, baseUrl: config.xApiBaseUrl, token, limiter, options: resolved }))
    })
    const fieldsParam = resolved.fieldSpelling === "post" ? "post.fields" : "tweet.fields"
    const fields = TWEET_FIELDS.map((f) =>
      resolved.fieldSpelling === "post" && f === "referenced_tweets" ? "referenced_posts" : f
    ).join(",")

    const lookupUser = (username: string) =>
      Effect.gen(function* () {
        const name = username.trim().replace(/^@/, "")
        if (!/^[A-Za-z0-9_]{1,15}$/.test(name)) {
          return yield* new XApiBadRequest({
            endpoint: ENDPOINTS.userByUsername,
            detail: `"${name}" is not a valid X username (1 to 15 letters, digits or _)`
          })
        }
        const h = yield* http
        const res = yield* h.get(ENDPOINTS.userByUsername, `/2/users/by/username/${encodeURIComponent(name)}`, {}, UserLookupResponse)
        if (res.data) {
          yield* logPartialErrors(ENDPOINTS.userByUsername, res.errors)
          return res.data
        }
        const errors = res.errors ?? []
        if (errors.length === 0 || errors.some(isNotFound)) return yield* new XApiUserNotFound({ username: name })
        return yield* new XApiUserUnavailable({ username: name, detail: errors.map(describeProblem).join("; ") })
      })

    const page = (endpoint: string, path: string, tokenParam: string, extra: Record<string, string>, o: PageOptions = {}) =>
      Effect.gen(function* () {
        const h = yield* http
        const res = yield* h.get(
          endpoint,
          path,
          {
            ...extra,
            max_results: String(o.maxResults ?? 100),
            [fieldsParam]: fields,
            since_id: o.sinceId,
            until_id: o.untilId,
            start_time: iso(o.startTime),
            end_time: iso(o.endTime),
            [tokenParam]: o.paginationToken
          },
          TweetPageResponse
        )
        const errors = yield* logPartialErrors(endpoint, res.errors)
        const tweets = res.data ?? []
        return {
          endpoint,
          tweets,
          resultCount: res.meta?.result_count ?? tweets.length,
          newestId: res.meta?.newest_id,
          oldestId: res.meta?.oldest_id,
          nextToken: res.meta?.next_token,
          errors
        } satisfies TweetPage
      })

    const pages = (fetch: (o: PageOptions) => Effect.Effect<TweetPage, XApiError>, o: PageOptions = {}) =>
      Stream.paginateEffect(o.paginationToken, (token) =>
        Effect.map(fetch({ ...o, paginationToken: token }), (p) => [p, Option.fromNullable(p.nextToken)] as const)
      )

    const userTweets = (userId: string, o?: PageOptions) =>
      page(ENDPOINTS.userTweets, `/2/users/${encodeURIComponent(userId)}/tweets`, "pagination_token", {}, o)
    const searchRecent = (query: string, o?: PageOptions) =>
      page(ENDPOINTS.searchRecent, "/2/tweets/search/recent", "next_token", { query }, o)

    const countsRecent = (query: string, o: CountsOptions = {}) =>
      Effect.gen(function* () {
        const h = yield* http
        const buckets: CountBucket[] = []
        const errors: XProblem[] = []
        let token: string | undefined
        let pagesRead = 0
        do {
          const res = yield* h.get(
            ENDPOINTS.countsRecent,
            "/2/tweets/counts/recent",
            {
              query,
              granularity: o.granularity ?? "hour",
              start_time: iso(o.startTime),
              end_time: iso(o.endTime),
              next_token: token
            },
            CountsResponse
          )
          pagesRead++
          buckets.push(...(res.data ?? []))
          errors.push(...(yield* logPartialErrors(ENDPOINTS.countsRecent, res.errors)))
          token = res.meta?.next_token
        } while (token !== undefined)
        buckets.sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
        return { buckets, total: buckets.reduce((s, b) => s + b.count, 0), pages: pagesRead, errors } satisfies CountsResult
      })

    return {
      lookupUser,
      userTweets,
      userTweetsPages: (userId, o) => pages((p) => userTweets(userId, p), o),
      searchRecent,
      searchRecentPages: (query, o) => pages((p) => searchRecent(query, p), o),
      countsRecent,
      rateLimits: limiter.snapshot,
      stats: limiter.stats,
      streamRules: Effect.flatMap(http, (h) =>
        Effect.map(h.get(ENDPOINTS.streamRules, "/2/tweets/search/stream/rules", {}, StreamRulesResponse), (r) => r.data ?? [])
      ),
      changeStreamRules: (change) =>
        Effect.gen(function* () {
          const h = yield* http
          if (change.add !== undefined && change.add.length > 0)
            yield* h.post(ENDPOINTS.streamRulesChange, "/2/tweets/search/stream/rules", { add: change.add }, StreamRulesChangeResponse)
          if (change.delete !== undefined && change.delete.length > 0)
            yield* h.post(ENDPOINTS.streamRulesChange, "/2/tweets/search/stream/rules", { delete: { ids: change.delete } }, StreamRulesChangeResponse)
        }),
      filteredStream: Stream.unwrap(
        Effect.map(http, (h) =>
          h.lines(ENDPOINTS.stream, "/2/tweets/search/stream", { [fieldsParam]: fields }).pipe(Stream.map(streamMessageOf))
        )
      )
    } satisfies XApiClientService
  })

/** The client over any HttpClient (tests pass options with short waits). */
export const layerXApiClient = (options?: XApiClientOptions): Layer.Layer<XApiClient, never, HttpClient.HttpClient | AppConfig> =>
  Layer.effect(XApiClient, makeXApiClient(options))

/**
 * The production client on Node's HTTP stack. The Node HTTP client module (and undici, which it
 * brings) is imported only when a command builds this layer, not at every CLI start.
 */
export const XApiClientLive: Layer.Layer<XApiClient, never, AppConfig> = Layer.unwrapEffect(
  Effect.map(Effect.promise(() => import("@effect/platform-node/NodeHttpClient")), (m) => layerXApiClient().pipe(Layer.provide(m.layer)))
)
