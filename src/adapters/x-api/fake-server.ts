/**
 * A local stand-in for the X API v2, on 127.0.0.1 (port 0 by default), for the tests and the demo.
 * It serves a given tweet set on the four endpoints MuskTracker uses the way X documents them
 * (../shared/x-api/openapi.json and README.md): newest first, `max_results`, `next_token` pagination,
 * `since_id`/`until_id`, `start_time` (inclusive)/`end_time` (exclusive), the 3,200-post reach of the
 * user timeline, the 7-day reach of recent search and counts, hourly counts, a 401 for a wrong token,
 * a 200 with a resource-not-found problem for an unknown user, 400 for invalid parameters, and
 * rate-limit windows with their headers. Faults can be injected for the next requests, and every
 * request is recorded, so tests can check that the client never exceeded a window.
 *
 * Parts: fake/store.ts (the tweets), fake/routes.ts (endpoints, parameters, paging, rendering),
 * fake/rate-limits.ts (windows and headers), fake/faults.ts (injected faults); this file is the HTTP
 * server that records each request and composes them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { ENDPOINTS, type Endpoint } from "./endpoints"
import { makeFaults } from "./fake/faults"
import { makeRateLimits } from "./fake/rate-limits"
import { BadRequest, PROBLEM, route, serve, type RouteContext } from "./fake/routes"
import { makeTweetStore } from "./fake/store"
import { makeFilteredStream } from "./fake/stream"
import type { FakeUser, FakeXServer, FakeXServerOptions, RecordedRequest } from "./fake/types"

export type { FakeTweet, FakeUser, FakeXServer, FakeXServerOptions, FaultInjector, RateLimitSpec, RecordedRequest } from "./fake/types"

const DEFAULT_USERS: ReadonlyArray<FakeUser> = [{ id: "44196397", username: "elonmusk", name: "Elon Musk" }]

export const startFakeXServer = async (options: FakeXServerOptions = {}): Promise<FakeXServer> => {
  const token = options.token ?? "test-token"
  const requests: RecordedRequest[] = []
  const store = makeTweetStore(options.tweets ?? [])
  const ctx: RouteContext = {
    store,
    users: options.users ?? DEFAULT_USERS,
    now: options.now ?? Date.now,
    cap: options.timelineCap ?? 3200,
    countsPageSize: options.countsPageSize ?? 168,
    post: options.spelling === "post"
  }
  const { specFor, windowFor, limitHeaders } = makeRateLimits(options.rateLimit)
  const faults = makeFaults()
  const takeFault = faults.take
  const stream = makeFilteredStream({ users: ctx.users, keepAliveMs: options.streamKeepAliveMs ?? 20_000 })
  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve) => {
      let text = ""
      req.on("data", (d: Buffer) => (text += d.toString()))
      req.on("end", () => resolve(text))
    })

  const send = (res: ServerResponse, rec: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}, outcome?: string) => {
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
    if (url.pathname === "/2/tweets/search/stream/rules" && (req.method === "GET" || req.method === "POST")) {
      const answer = stream.handleRules(req.method, req.method === "POST" ? await readBody(req) : "")
      return send(res, rec, answer.status, answer.body)
    }
    if (url.pathname === "/2/tweets/search/stream" && req.method === "GET") {
      rec.outcome = "stream"
      rec.status = 200
      return stream.handleStream(req, res, (status) =>
        send(
          res,
          rec,
          status,
          status === 429
            ? { title: "ConnectionException", detail: "This stream is currently at the maximum allowed connection limit.", type: "https://api.twitter.com/2/problems/streaming-connection", status: 429 }
            : { title: "Service Unavailable", detail: "Service Unavailable", type: "about:blank", status },
          {},
          "injected-status"
        )
      )
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
        {
          title: "Too Many Requests",
          detail: "Too Many Requests",
          type: "about:blank",
          status: 429,
          errors: [{ code: 88, message: "Rate limit exceeded" }]
        },
        headers,
        "injected-429"
      )
    }
    if (before?.kind === "status") {
      const title = before.status === 503 ? "Service Unavailable" : before.status >= 500 ? "Internal Server Error" : "Error"
      return send(res, rec, before.status, { title, detail: title, type: "about:blank", status: before.status }, {}, "injected-status")
    }
    if (before?.kind === "echo") {
      const echoed = {
        title: "Internal Server Error",
        detail: `request ${req.method} ${req.url} with headers ${JSON.stringify(req.headers)}`,
        status: before.status
      }
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
      body = serve(ctx, e, r.params, query)
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
    inject: faults.inject,
    addTweets: (tweets) => {
      store.addTweets(tweets)
      stream.onTweets(tweets)
    },
    stream: stream.control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.closeAll()
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}
