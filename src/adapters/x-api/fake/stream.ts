/**
 * The stand-in's filtered stream, as X documents it (../shared/x-api/openapi.json):
 * - `GET /2/tweets/search/stream/rules`: the rules (`data` absent when there are none);
 * - `POST /2/tweets/search/stream/rules` with `{"add": [{value, tag}]}` or `{"delete": {"ids": [...]}}`;
 *   a rule value here is `from:<username>` (the only operator MuskTracker uses);
 * - `GET /2/tweets/search/stream`: a long-lived response of newline-delimited JSON, one
 *   `{"data": {...post}, "matching_rules": [{id, tag}]}` per matching post as posts arrive, and a bare
 *   `\r\n` keep-alive every `keepAliveMs` (X: every 20 seconds).
 * Scripted faults for tests: drop every open connection, answer the next connects with a status (429,
 * 503, ...), write a malformed line, or stop the keep-alives of the open connections (a stall).
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type { FakeTweet, FakeUser } from "./types"

export interface StreamRule {
  readonly id: string
  readonly value: string
  readonly tag?: string
}

export interface StreamControl {
  /** Connections open now. */
  readonly connections: () => number
  /** Connections accepted so far (reconnects included). */
  readonly accepted: () => number
  readonly rules: () => ReadonlyArray<StreamRule>
  /** Closes every open stream connection (a network drop, as the client sees it). */
  readonly disconnectAll: () => void
  /** The next `n` connects are answered with `status` (429: too many connections; 503: unavailable). */
  readonly rejectConnects: (n: number, status: number) => void
  /** Writes a line that is not JSON to every open connection. */
  readonly sendMalformed: () => void
  /** Stops the keep-alives (and posts) of the open connections: the client must notice the silence. */
  readonly stall: () => void
}

interface Connection {
  readonly res: ServerResponse
  stalled: boolean
  readonly timer: NodeJS.Timeout
}

export const makeFilteredStream = (o: { readonly users: ReadonlyArray<FakeUser>; readonly keepAliveMs: number }) => {
  const rules: StreamRule[] = []
  const open = new Set<Connection>()
  const rejections: number[] = []
  let nextRuleId = 1_700_000_000_000_000_000n
  let accepted = 0

  const close = (c: Connection) => {
    clearInterval(c.timer)
    open.delete(c)
  }

  const userOfRule = (value: string): FakeUser | undefined => {
    const m = /^from:@?([A-Za-z0-9_]{1,15})$/.exec(value.trim())
    return m ? o.users.find((u) => u.username.toLowerCase() === m[1]!.toLowerCase()) : undefined
  }

  /** Pushes each post to the connections whose rules match it. */
  const onTweets = (tweets: ReadonlyArray<FakeTweet>) => {
    for (const t of tweets) {
      const matching = rules.filter((r) => userOfRule(r.value)?.id === t.author_id)
      if (matching.length === 0) continue
      const data: Record<string, unknown> = { id: t.id, text: t.text ?? "", created_at: t.created_at, author_id: t.author_id }
      if (t.referenced_tweets) data.referenced_tweets = t.referenced_tweets
      const line = JSON.stringify({ data, matching_rules: matching.map((r) => ({ id: r.id, ...(r.tag !== undefined && { tag: r.tag }) })) }) + "\r\n"
      for (const c of open) if (!c.stalled) c.res.write(line)
    }
  }

  /** Answers a stream request; returns false when the request is not the stream's. */
  const handleStream = (req: IncomingMessage, res: ServerResponse, reject: (status: number) => void): void => {
    const status = rejections.shift()
    if (status !== undefined) return reject(status)
    accepted++
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "transfer-encoding": "chunked" })
    res.write("\r\n")
    const c: Connection = {
      res,
      stalled: false,
      timer: setInterval(() => {
        if (!c.stalled) res.write("\r\n")
      }, o.keepAliveMs)
    }
    open.add(c)
    req.on("close", () => close(c))
    res.on("close", () => close(c))
  }

  /** GET or POST of the rules: the body to answer with, or a status and problem. */
  const handleRules = (method: string, body: string): { readonly status: number; readonly body: unknown } => {
    const sent = new Date().toISOString()
    if (method === "GET")
      return { status: 200, body: rules.length === 0 ? { meta: { sent, result_count: 0 } } : { data: rules, meta: { sent, result_count: rules.length } } }
    let json: any
    try {
      json = JSON.parse(body)
    } catch {
      return { status: 400, body: { title: "Invalid Request", detail: "the body is not JSON", type: "about:blank", status: 400 } }
    }
    if (Array.isArray(json?.add)) {
      const created: StreamRule[] = []
      for (const r of json.add as Array<{ value?: unknown; tag?: unknown }>) {
        if (typeof r.value !== "string" || userOfRule(r.value) === undefined)
          return { status: 400, body: { title: "Invalid Request", detail: `rule ${JSON.stringify(r.value)} is not from:<known user>`, type: "about:blank", status: 400 } }
        if (rules.some((x) => x.value === r.value)) continue
        const rule: StreamRule = { id: String(nextRuleId++), value: r.value, ...(typeof r.tag === "string" && { tag: r.tag }) }
        rules.push(rule)
        created.push(rule)
      }
      return { status: 201, body: { ...(created.length > 0 && { data: created }), meta: { sent, summary: { created: created.length, not_created: json.add.length - created.length, valid: json.add.length, invalid: 0 } } } }
    }
    if (Array.isArray(json?.delete?.ids)) {
      let deleted = 0
      for (const id of json.delete.ids as unknown[]) {
        const i = rules.findIndex((r) => r.id === id)
        if (i >= 0) {
          rules.splice(i, 1)
          deleted++
        }
      }
      return { status: 200, body: { meta: { sent, summary: { deleted, not_deleted: json.delete.ids.length - deleted } } } }
    }
    return { status: 400, body: { title: "Invalid Request", detail: "expected add or delete", type: "about:blank", status: 400 } }
  }

  const control: StreamControl = {
    connections: () => open.size,
    accepted: () => accepted,
    rules: () => [...rules],
    disconnectAll: () => {
      for (const c of [...open]) {
        close(c)
        c.res.socket?.destroy()
      }
    },
    rejectConnects: (n, status) => {
      for (let i = 0; i < n; i++) rejections.push(status)
    },
    sendMalformed: () => {
      for (const c of open) c.res.write('{"data": {"id": "1", "created_at": \r\n')
    },
    stall: () => {
      for (const c of open) c.stalled = true
    }
  }

  return { onTweets, handleStream, handleRules, control, closeAll: control.disconnectAll }
}
