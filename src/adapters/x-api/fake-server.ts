/**
 * A local stand-in for the X API v2, on 127.0.0.1 (port 0 by default), for the tests and the demo.
 * It serves a given tweet set on the four endpoints MuskTracker uses the way X documents them
 * (../shared/x-api/openapi.json and README.md): newest first, `max_results`, `next_token` pagination,
 * `since_id`/`until_id`, `start_time` (inclusive)/`end_time` (exclusive), the 3,200-post reach of the
 * user timeline, the 7-day reach of recent search and counts, hourly counts, a 401 for a wrong token,
 * a 200 with a resource-not-found problem for an unknown user, 400 for invalid parameters, and
 * rate-limit windows with their headers. Faults can be injected for the next requests, and every
 * request is recorded, so tests can check that the client never exceeded a window.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { DAY_MS, HOUR_MS, parseInstant } from "../../domain/time"
import { ENDPOINTS, type Endpoint } from "./endpoints"

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

type EndpointFilter = { readonly endpoint?: Endpoint }

type Fault =
  | { readonly kind: "rate-limit"; readonly resetInSeconds: number; readonly headers: boolean }
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "echo"; readonly status: number }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "reset" }
  | { readonly kind: "not-json" }
  | { readonly kind: "drop-field"; readonly field: string | undefined }
  | { readonly kind: "partial-errors"; readonly errors: ReadonlyArray<unknown> }

interface QueuedFault {
  readonly fault: Fault
  readonly endpoint: Endpoint | undefined
  remaining: number
}

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
  /** Add tweets (duplicates by id are ignored), e.g. to simulate new posts between runs. */
  readonly addTweets: (tweets: ReadonlyArray<FakeTweet>) => void
  readonly close: () => Promise<void>
}

interface StoredTweet extends FakeTweet {
  readonly big: bigint
  readonly ms: number
}

const DEFAULT_USERS: ReadonlyArray<FakeUser> = [{ id: "44196397", username: "elonmusk", name: "Elon Musk" }]
const ID = /^[0-9]{1,19}$/
const SEARCH_REACH_MS = 7 * DAY_MS
const PROBLEM = "https://api.x.com/2/problems"

const isoMs = (ms: number): string => new Date(ms).toISOString()

/** Opaque page tokens: a letter and a base-32 number, as X's base32hex tokens look. */
const encodeToken = (prefix: string, n: bigint): string => prefix + n.toString(32)
const decodeToken = (prefix: string, token: string): bigint | undefined => {
  if (!token.startsWith(prefix) || !/^[0-9a-v]+$/.test(token.slice(1))) return undefined
  let n = 0n
  for (const c of token.slice(1)) n = n * 32n + BigInt(parseInt(c, 32))
  return n
}

class BadRequest extends Error {}

const TIMELINE_PARAMS = new Set([
  "max_results", "pagination_token", "since_id", "until_id", "start_time", "end_time", "exclude",
  "tweet.fields", "post.fields", "expansions", "user.fields", "media.fields", "poll.fields", "place.fields"
])
const SEARCH_PARAMS = new Set([...TIMELINE_PARAMS, "query", "next_token", "sort_order"].filter((p) => p !== "exclude"))
const COUNTS_PARAMS = new Set(["query", "start_time", "end_time", "since_id", "until_id", "next_token", "pagination_token", "granularity", "search_count.fields"])
const USER_PARAMS = new Set(["user.fields", "expansions", "tweet.fields", "post.fields"])

export const startFakeXServer = async (options: FakeXServerOptions = {}): Promise<FakeXServer> => {
  const token = options.token ?? "test-token"
  const now = options.now ?? Date.now
  const cap = options.timelineCap ?? 3200
  const countsPageSize = options.countsPageSize ?? 168
  const post = options.spelling === "post"
  const users = options.users ?? DEFAULT_USERS
  const requests: RecordedRequest[] = []
  const faults: QueuedFault[] = []

  // Every author's tweets, newest (largest id) first.
  const byAuthor = new Map<string, StoredTweet[]>()
  const seen = new Set<string>()
  const addTweets = (tweets: ReadonlyArray<FakeTweet>) => {
    const touched = new Set<string>()
    for (const t of tweets) {
      if (!ID.test(t.id)) throw new Error(`fake X server: tweet id "${t.id}" is not numeric`)
      if (seen.has(t.id)) continue
      const ms = parseInstant(t.created_at)
      if (ms === undefined) throw new Error(`fake X server: tweet ${t.id} has an invalid created_at "${t.created_at}"`)
      seen.add(t.id)
      const list = byAuthor.get(t.author_id) ?? []
      list.push({ ...t, big: BigInt(t.id), ms })
      byAuthor.set(t.author_id, list)
      touched.add(t.author_id)
    }
    for (const a of touched) byAuthor.get(a)!.sort((x, y) => (x.big > y.big ? -1 : x.big < y.big ? 1 : 0))
  }
  addTweets(options.tweets ?? [])

  // Real (wall-clock) rate-limit windows per endpoint.
  const specFor = (e: Endpoint): RateLimitSpec => {
    const r = options.rateLimit
    if (r && "limit" in r && typeof r.limit === "number") return r as RateLimitSpec
    return (r as Partial<Record<Endpoint, RateLimitSpec>> | undefined)?.[e] ?? { limit: 900, windowMs: 15 * 60_000 }
  }
  const windows = new Map<Endpoint, { remaining: number; resetSec: number }>()
  const windowFor = (e: Endpoint) => {
    const t = Date.now()
    let w = windows.get(e)
    if (!w || t >= w.resetSec * 1000) {
      w = { remaining: specFor(e).limit, resetSec: Math.ceil((t + specFor(e).windowMs) / 1000) }
      windows.set(e, w)
    }
    return w
  }
  const limitHeaders = (e: Endpoint, w: { remaining: number; resetSec: number }) => ({
    "x-rate-limit-limit": String(specFor(e).limit),
    "x-rate-limit-remaining": String(w.remaining),
    "x-rate-limit-reset": String(w.resetSec)
  })

  const takeFault = (e: Endpoint | undefined, phase: "before" | "after"): Fault | undefined => {
    const i = faults.findIndex(
      (f) =>
        (f.endpoint === undefined || f.endpoint === e) &&
        (phase === "after") === ["not-json", "drop-field", "partial-errors"].includes(f.fault.kind)
    )
    if (i < 0) return undefined
    const q = faults[i]!
    if (--q.remaining <= 0) faults.splice(i, 1)
    return q.fault
  }
  const queue = (fault: Fault, n: number, endpoint: Endpoint | undefined) => {
    if (n > 0) faults.push({ fault, endpoint, remaining: n })
  }
  const inject: FaultInjector = {
    rateLimited: (n = 1, o = {}) => queue({ kind: "rate-limit", resetInSeconds: o.resetInSeconds ?? 1, headers: o.headers ?? true }, n, o.endpoint),
    serverError: (n = 1, o = {}) => queue({ kind: "status", status: o.status ?? 503 }, n, o.endpoint),
    echoHeaders: (n = 1, o = {}) => queue({ kind: "echo", status: o.status ?? 500 }, n, o.endpoint),
    slow: (n, delayMs, o = {}) => queue({ kind: "delay", ms: delayMs }, n, o.endpoint),
    connectionReset: (n = 1, o = {}) => queue({ kind: "reset" }, n, o.endpoint),
    missingField: (n = 1, o = {}) => queue({ kind: "drop-field", field: o.field }, n, o.endpoint),
    notJson: (n = 1, o = {}) => queue({ kind: "not-json" }, n, o.endpoint),
    partialErrors: (n = 1, o = {}) =>
      queue(
        {
          kind: "partial-errors",
          errors: o.errors ?? [
            {
              value: "1",
              detail: "Could not find tweet with referenced_tweets.id: [1].",
              title: "Not Found Error",
              resource_type: "tweet",
              parameter: "referenced_tweets.id",
              resource_id: "1",
              type: `${PROBLEM}/resource-not-found`
            }
          ]
        },
        n,
        o.endpoint
      ),
    clear: () => void faults.splice(0, faults.length),
    pending: () => faults.reduce((s, f) => s + f.remaining, 0)
  }

  // ---- request parsing helpers ----
  const checkParams = (q: Record<string, string>, allowed: Set<string>) => {
    for (const k of Object.keys(q)) {
      if (!allowed.has(k)) throw new BadRequest(`The query parameter [${k}] is not one of [${[...allowed].join(",")}]`)
    }
  }
  const instant = (q: Record<string, string>, name: string): number | undefined => {
    const raw = q[name]
    if (raw === undefined) return undefined
    const ms = parseInstant(raw)
    if (ms === undefined) throw new BadRequest(`Invalid '${name}':'${raw}'. '${name}' must be a valid RFC 3339 timestamp`)
    return ms
  }
  const idParam = (q: Record<string, string>, name: string): bigint | undefined => {
    const raw = q[name]
    if (raw === undefined) return undefined
    if (!ID.test(raw)) throw new BadRequest(`The \`${name}\` query parameter value [${raw}] does not match ^[0-9]{1,19}$`)
    return BigInt(raw)
  }
  const maxResults = (q: Record<string, string>, min: number, fallback: number): number => {
    const raw = q["max_results"]
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min || n > 100) {
      throw new BadRequest(`The \`max_results\` query parameter value [${raw}] is not between ${min} and 100`)
    }
    return n
  }
  const requestedFields = (q: Record<string, string>): Set<string> =>
    new Set([...(q["tweet.fields"] ?? "").split(","), ...(q["post.fields"] ?? "").split(",")].filter((f) => f.length > 0))
  const userOfQuery = (query: string | undefined): FakeUser | undefined => {
    const m = /^\s*from:([A-Za-z0-9_]{1,15})\s*$/i.exec(query ?? "")
    if (!m) throw new BadRequest(`this stand-in understands only the query "from:USERNAME", got "${query ?? ""}"`)
    return users.find((u) => u.username.toLowerCase() === m[1]!.toLowerCase())
  }
  const recentWindow = (q: Record<string, string>, defaultEndLagMs: number) => {
    const t = now()
    const earliest = t - SEARCH_REACH_MS
    const start = instant(q, "start_time")
    const end = instant(q, "end_time")
    if (start !== undefined && start < earliest) {
      throw new BadRequest(`Invalid 'start_time':'${q["start_time"]}'. 'start_time' must be on or after ${isoMs(earliest)}`)
    }
    if (end !== undefined && end > t - 10_000) {
      throw new BadRequest(`Invalid 'end_time':'${q["end_time"]}'. 'end_time' must be a minimum of 10 seconds prior to the request time.`)
    }
    const from = start ?? earliest
    const to = end ?? t - defaultEndLagMs
    if (from >= to) throw new BadRequest(`Invalid 'start_time':'${q["start_time"]}'. 'start_time' must be earlier than 'end_time'`)
    return { from, to }
  }

  const renderTweet = (t: StoredTweet, fields: Set<string>) => {
    const out: Record<string, unknown> = { id: t.id, text: t.text ?? `post ${t.id}` }
    out[post ? "edit_history_post_ids" : "edit_history_tweet_ids"] = [t.id]
    if (fields.has("created_at")) out["created_at"] = isoMs(t.ms)
    if (fields.has("author_id")) out["author_id"] = t.author_id
    if (fields.has("conversation_id")) out["conversation_id"] = t.conversation_id ?? t.id
    if (fields.has("in_reply_to_user_id") && t.in_reply_to_user_id) out["in_reply_to_user_id"] = t.in_reply_to_user_id
    if ((fields.has("referenced_tweets") || fields.has("referenced_posts")) && t.referenced_tweets?.length) {
      out[post ? "referenced_posts" : "referenced_tweets"] = t.referenced_tweets
    }
    if (fields.has("public_metrics")) {
      out["public_metrics"] = {
        [post ? "repost_count" : "retweet_count"]: 0,
        reply_count: 0,
        like_count: 0,
        quote_count: 0,
        bookmark_count: 0,
        impression_count: 0
      }
    }
    return out
  }

  /** One page of `candidates` (newest first) after the page token, rendered as X does. */
  const tweetPage = (candidates: StoredTweet[], q: Record<string, string>, tokenParams: string[], size: number) => {
    const token = tokenParams.map((p) => q[p]).find((v) => v !== undefined)
    let rest = candidates
    if (token !== undefined) {
      const below = decodeToken("n", token)
      if (below === undefined) throw new BadRequest(`Invalid pagination token [${token}]`)
      rest = candidates.filter((t) => t.big < below)
    }
    const page = rest.slice(0, size)
    if (page.length === 0) return { meta: { result_count: 0 } }
    const fields = requestedFields(q)
    const meta: Record<string, unknown> = {
      result_count: page.length,
      newest_id: page[0]!.id,
      oldest_id: page[page.length - 1]!.id
    }
    if (rest.length > page.length) meta["next_token"] = encodeToken("n", page[page.length - 1]!.big)
    return { data: page.map((t) => renderTweet(t, fields)), meta }
  }

  const filterTweets = (list: StoredTweet[], q: Record<string, string>, from?: number, to?: number) => {
    const since = idParam(q, "since_id")
    const until = idParam(q, "until_id")
    const start = from ?? instant(q, "start_time")
    const end = to ?? instant(q, "end_time")
    if (start !== undefined && end !== undefined && start >= end) {
      throw new BadRequest("`start_time` must be earlier than `end_time`")
    }
    return list.filter(
      (t) =>
        (since === undefined || t.big > since) &&
        (until === undefined || t.big < until) &&
        (start === undefined || t.ms >= start) &&
        (end === undefined || t.ms < end)
    )
  }

  const notFoundUser = (value: string, parameter: string) => ({
    errors: [
      {
        value,
        detail: `Could not find user with ${parameter}: [${value}].`,
        title: "Not Found Error",
        resource_type: "user",
        parameter,
        resource_id: value,
        type: `${PROBLEM}/resource-not-found`
      }
    ]
  })

  const buckets = (from: number, to: number, granularity: string) => {
    const unit = granularity === "minute" ? 60_000 : granularity === "day" ? DAY_MS : HOUR_MS
    const out: Array<{ start: number; end: number }> = []
    for (let s = from; s < to; ) {
      const e = Math.min(to, Math.floor(s / unit) * unit + unit)
      out.push({ start: s, end: e })
      s = e
    }
    return out
  }

  /** The 200 body for a routed request, or a thrown BadRequest. */
  const serve = (endpoint: Endpoint, params: string[], q: Record<string, string>): unknown => {
    switch (endpoint) {
      case ENDPOINTS.userByUsername: {
        checkParams(q, USER_PARAMS)
        const name = params[0]!
        if (!/^[A-Za-z0-9_]{1,15}$/.test(name)) {
          throw new BadRequest(`The \`username\` query parameter value [${name}] does not match ^[A-Za-z0-9_]{1,15}$`)
        }
        const u = users.find((x) => x.username.toLowerCase() === name.toLowerCase())
        return u ? { data: { id: u.id, name: u.name ?? u.username, username: u.username } } : notFoundUser(name, "username")
      }
      case ENDPOINTS.userTweets: {
        checkParams(q, TIMELINE_PARAMS)
        const id = params[0]!
        if (!ID.test(id)) throw new BadRequest(`The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$`)
        const size = maxResults(q, 5, 10)
        if (!users.some((u) => u.id === id)) return notFoundUser(id, "id")
        const reachable = (byAuthor.get(id) ?? []).slice(0, cap)
        return tweetPage(filterTweets(reachable, q), q, ["pagination_token"], size)
      }
      case ENDPOINTS.searchRecent: {
        checkParams(q, SEARCH_PARAMS)
        if (q["start_time"] !== undefined && q["since_id"] !== undefined) throw new BadRequest("At most one of `start_time`, `since_id` may be provided")
        if (q["end_time"] !== undefined && q["until_id"] !== undefined) throw new BadRequest("At most one of `end_time`, `until_id` may be provided")
        const size = maxResults(q, 10, 10)
        const u = userOfQuery(q["query"])
        const { from, to } = recentWindow(q, 0)
        const list = u ? filterTweets(byAuthor.get(u.id) ?? [], q, from, to) : []
        return tweetPage(list, q, ["next_token", "pagination_token"], size)
      }
      case ENDPOINTS.countsRecent: {
        checkParams(q, COUNTS_PARAMS)
        const granularity = q["granularity"] ?? "hour"
        if (!["minute", "hour", "day"].includes(granularity)) throw new BadRequest(`Invalid granularity [${granularity}]`)
        const u = userOfQuery(q["query"])
        const { from, to } = recentWindow(q, 30_000)
        const list = u ? filterTweets(byAuthor.get(u.id) ?? [], q, from, to) : []
        const all = buckets(from, to, granularity)
        const tokenRaw = q["next_token"] ?? q["pagination_token"]
        const offset = tokenRaw === undefined ? 0n : decodeToken("c", tokenRaw)
        if (offset === undefined) throw new BadRequest(`Invalid pagination token [${tokenRaw}]`)
        const pageBuckets = all.slice(Number(offset), Number(offset) + countsPageSize)
        const countKey = post ? "post_count" : "tweet_count"
        const data = pageBuckets.map((b) => ({
          end: isoMs(b.end),
          start: isoMs(b.start),
          [countKey]: list.reduce((n, t) => n + (t.ms >= b.start && t.ms < b.end ? 1 : 0), 0)
        }))
        const meta: Record<string, unknown> = {
          [post ? "total_post_count" : "total_tweet_count"]: data.reduce((s, b) => s + (b[countKey] as number), 0)
        }
        const next = Number(offset) + countsPageSize
        if (next < all.length) meta["next_token"] = encodeToken("c", BigInt(next))
        return { data, meta }
      }
    }
  }

  const route = (path: string): { endpoint: Endpoint; params: string[] } | undefined => {
    let m = /^\/2\/users\/by\/username\/([^/]+)$/.exec(path)
    if (m) return { endpoint: ENDPOINTS.userByUsername, params: [decodeURIComponent(m[1]!)] }
    m = /^\/2\/users\/([^/]+)\/tweets$/.exec(path)
    if (m) return { endpoint: ENDPOINTS.userTweets, params: [decodeURIComponent(m[1]!)] }
    if (path === "/2/tweets/search/recent") return { endpoint: ENDPOINTS.searchRecent, params: [] }
    if (path === "/2/tweets/counts/recent") return { endpoint: ENDPOINTS.countsRecent, params: [] }
    return undefined
  }

  const send = (
    res: ServerResponse,
    rec: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    outcome?: string
  ) => {
    rec.status = status
    if (outcome) rec.outcome = outcome
    if (headers["x-rate-limit-reset"] !== undefined) {
      rec.rateLimit = {
        limit: Number(headers["x-rate-limit-limit"]),
        remaining: Number(headers["x-rate-limit-remaining"]),
        resetSec: Number(headers["x-rate-limit-reset"])
      }
    }
    const text = typeof body === "string" ? body : JSON.stringify(body)
    const type = status >= 400 && typeof body !== "string" && !(body as any).errors ? "application/problem+json" : "application/json"
    res.writeHead(status, { "content-type": `${type}; charset=utf-8`, ...headers })
    res.end(text)
  }

  const dropField = (body: any, endpoint: Endpoint, field: string | undefined) => {
    const f = field ?? (endpoint === ENDPOINTS.countsRecent ? "start" : endpoint === ENDPOINTS.userByUsername ? "id" : "created_at")
    const target = Array.isArray(body.data) ? body.data[0] : body.data
    if (target && typeof target === "object") delete target[f]
    return body
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const query: Record<string, string> = {}
    url.searchParams.forEach((v, k) => (query[k] = v))
    const r = route(url.pathname)
    const rec: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      endpoint: r?.endpoint,
      query,
      at: Date.now(),
      status: 0,
      outcome: "served"
    }
    requests.push(rec)

    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, rec, 401, { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" }, {}, "unauthorized")
    }
    if (!r || req.method !== "GET") {
      return send(res, rec, 404, { errors: [{ message: "Sorry, that page does not exist", code: 34 }] }, {}, "not-found")
    }
    const e = r.endpoint

    const before = takeFault(e, "before")
    if (before?.kind === "reset") {
      rec.outcome = "injected-reset"
      req.socket.destroy()
      return
    }
    if (before?.kind === "rate-limit") {
      const headers: Record<string, string> = before.headers
        ? {
            "x-rate-limit-limit": String(specFor(e).limit),
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": String(Math.ceil((Date.now() + before.resetInSeconds * 1000) / 1000))
          }
        : {}
      return send(
        res,
        rec,
        429,
        { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429, errors: [{ code: 88, message: "Rate limit exceeded" }] },
        headers,
        "injected-429"
      )
    }
    if (before?.kind === "status") {
      const title = before.status === 503 ? "Service Unavailable" : before.status >= 500 ? "Internal Server Error" : "Error"
      return send(res, rec, before.status, { title, detail: title, type: "about:blank", status: before.status }, {}, "injected-status")
    }
    if (before?.kind === "echo") {
      const echoed = { title: "Internal Server Error", detail: `request ${req.method} ${req.url} with headers ${JSON.stringify(req.headers)}`, status: before.status }
      return send(res, rec, before.status, echoed, {}, "injected-echo")
    }
    if (before?.kind === "delay") {
      rec.outcome = "delayed"
      await new Promise((resolve) => setTimeout(resolve, before.ms))
      if (res.destroyed || req.socket.destroyed) return
    }

    const w = windowFor(e)
    if (w.remaining <= 0) {
      return send(
        res,
        rec,
        429,
        { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 },
        limitHeaders(e, w),
        "rate-limited"
      )
    }
    w.remaining--
    const headers = limitHeaders(e, w)

    let body: any
    try {
      body = serve(e, r.params, query)
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err
      return send(
        res,
        rec,
        400,
        {
          errors: [{ parameters: {}, message: err.message }],
          title: "Invalid Request",
          detail: "One or more parameters to your request was invalid.",
          type: `${PROBLEM}/invalid-request`
        },
        headers,
        "bad-request"
      )
    }
    const after = takeFault(e, "after")
    if (after?.kind === "not-json") return send(res, rec, 200, '{"data": [{"id": "1", "created_at": ', headers, "malformed")
    if (after?.kind === "drop-field") body = dropField(body, e, after.field)
    if (after?.kind === "partial-errors") body = { ...body, errors: [...(body.errors ?? []), ...after.errors] }
    return send(res, rec, 200, body, headers, after ? (after.kind === "partial-errors" ? "partial-errors" : "malformed") : undefined)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/problem+json" })
        res.end(JSON.stringify({ title: "Internal Server Error", detail: String(err), type: "about:blank", status: 500 }))
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    inject,
    addTweets,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}
