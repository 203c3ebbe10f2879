/**
 * The four endpoints as X documents them: routing, parameter checks (400 with X's wording), paging,
 * the timeline's reach, the 7-day window of recent search and counts, and the rendering of posts.
 */
import { DAY_MS, HOUR_MS, parseInstant } from "../../../domain/time"
import { TIMELINE_EARLIEST_START_MS } from "../../../domain/ingestion/reach"
import { ENDPOINTS, type Endpoint } from "../endpoints"
import { ID, type StoredTweet, type TweetStore } from "./store"
import type { FakeUser } from "./types"

const SEARCH_REACH_MS = 7 * DAY_MS
export const PROBLEM = "https://api.x.com/2/problems"

export const isoMs = (ms: number): string => new Date(ms).toISOString()

/** Opaque page tokens: a letter and a base-32 number, as X's base32hex tokens look. */
const encodeToken = (prefix: string, n: bigint): string => prefix + n.toString(32)
const decodeToken = (prefix: string, token: string): bigint | undefined => {
  if (!token.startsWith(prefix) || !/^[0-9a-v]+$/.test(token.slice(1))) return undefined
  let n = 0n
  for (const c of token.slice(1)) n = n * 32n + BigInt(parseInt(c, 32))
  return n
}

export class BadRequest extends Error {}

const TIMELINE_PARAMS = new Set([
  "max_results",
  "pagination_token",
  "since_id",
  "until_id",
  "start_time",
  "end_time",
  "exclude",
  "tweet.fields",
  "post.fields",
  "expansions",
  "user.fields",
  "media.fields",
  "poll.fields",
  "place.fields"
])
const SEARCH_PARAMS = new Set([...TIMELINE_PARAMS, "query", "next_token", "sort_order"].filter((p) => p !== "exclude"))
const COUNTS_PARAMS = new Set([
  "query",
  "start_time",
  "end_time",
  "since_id",
  "until_id",
  "next_token",
  "pagination_token",
  "granularity",
  "search_count.fields"
])
const USER_PARAMS = new Set(["user.fields", "expansions", "tweet.fields", "post.fields"])

export interface RouteContext {
  readonly store: TweetStore
  readonly users: ReadonlyArray<FakeUser>
  /** The data clock. */
  readonly now: () => number
  /** How many of an author's newest posts the timeline reaches. */
  readonly cap: number
  readonly countsPageSize: number
  /** Responses spell `post` (the OpenAPI spec) rather than `tweet` (live traffic). */
  readonly post: boolean
}

export const route = (path: string): { endpoint: Endpoint; params: string[] } | undefined => {
  let m = /^\/2\/users\/by\/username\/([^/]+)$/.exec(path)
  if (m) return { endpoint: ENDPOINTS.userByUsername, params: [decodeURIComponent(m[1]!)] }
  m = /^\/2\/users\/([^/]+)\/tweets$/.exec(path)
  if (m) return { endpoint: ENDPOINTS.userTweets, params: [decodeURIComponent(m[1]!)] }
  if (path === "/2/tweets/search/recent") return { endpoint: ENDPOINTS.searchRecent, params: [] }
  if (path === "/2/tweets/counts/recent") return { endpoint: ENDPOINTS.countsRecent, params: [] }
  return undefined
}

/** The 200 body for a routed request, or a thrown BadRequest. */
export const serve = (ctx: RouteContext, endpoint: Endpoint, params: string[], q: Record<string, string>): unknown => {
  const { store, users, now, cap, countsPageSize, post } = ctx
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

  // As X answers for a suspended user: 200, no data, one Forbidden problem.
  const suspendedUser = (value: string, parameter: string) => ({
    errors: [
      {
        value,
        detail: `User has been suspended: [${value}].`,
        title: "Forbidden",
        resource_type: "user",
        parameter,
        resource_id: value,
        type: "about:blank"
      }
    ]
  })

  const buckets = (from: number, to: number, granularity: string) => {
    const unit = granularity === "minute" ? 60_000 : granularity === "day" ? DAY_MS : HOUR_MS
    const out: Array<{ start: number; end: number }> = []
    for (let s = from; s < to;) {
      const e = Math.min(to, Math.floor(s / unit) * unit + unit)
      out.push({ start: s, end: e })
      s = e
    }
    return out
  }

  switch (endpoint) {
    case ENDPOINTS.userByUsername: {
      checkParams(q, USER_PARAMS)
      const name = params[0]!
      if (!/^[A-Za-z0-9_]{1,15}$/.test(name)) {
        throw new BadRequest(`The \`username\` query parameter value [${name}] does not match ^[A-Za-z0-9_]{1,15}$`)
      }
      const u = users.find((x) => x.username.toLowerCase() === name.toLowerCase())
      if (u?.suspended === true) return suspendedUser(name, "username")
      return u ? { data: { id: u.id, name: u.name ?? u.username, username: u.username } } : notFoundUser(name, "username")
    }
    case ENDPOINTS.userTweets: {
      checkParams(q, TIMELINE_PARAMS)
      const id = params[0]!
      if (!ID.test(id)) throw new BadRequest(`The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$`)
      const size = maxResults(q, 5, 10)
      if (!users.some((u) => u.id === id)) return notFoundUser(id, "id")
      if (users.some((u) => u.id === id && u.suspended === true)) return suspendedUser(id, "id")
      for (const name of ["start_time", "end_time"]) {
        const at = instant(q, name)
        if (at !== undefined && at < TIMELINE_EARLIEST_START_MS)
          throw new BadRequest(`Invalid '${name}':'${q[name]}'. '${name}' must be on or after ${isoMs(TIMELINE_EARLIEST_START_MS)}`)
      }
      const reachable = store.ofAuthor(id).slice(0, cap)
      return tweetPage(filterTweets(reachable, q), q, ["pagination_token"], size)
    }
    case ENDPOINTS.searchRecent: {
      checkParams(q, SEARCH_PARAMS)
      if (q["start_time"] !== undefined && q["since_id"] !== undefined)
        throw new BadRequest("At most one of `start_time`, `since_id` may be provided")
      if (q["end_time"] !== undefined && q["until_id"] !== undefined) throw new BadRequest("At most one of `end_time`, `until_id` may be provided")
      const size = maxResults(q, 10, 10)
      const u = userOfQuery(q["query"])
      const { from, to } = recentWindow(q, 0)
      const list = u ? filterTweets(store.ofAuthor(u.id), q, from, to) : []
      return tweetPage(list, q, ["next_token", "pagination_token"], size)
    }
    case ENDPOINTS.countsRecent: {
      checkParams(q, COUNTS_PARAMS)
      const granularity = q["granularity"] ?? "hour"
      if (!["minute", "hour", "day"].includes(granularity)) throw new BadRequest(`Invalid granularity [${granularity}]`)
      const u = userOfQuery(q["query"])
      const { from, to } = recentWindow(q, 30_000)
      const list = u ? filterTweets(store.ofAuthor(u.id), q, from, to) : []
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
