/**
 * `musktracker serve` in-process on an embedded store (PGlite) holding 10 weeks of simulated posts up to
 * now (the demo's Hawkes history, so that calendar windows around now have data): the read-only HTTP API answers as docs/api.md says (JSON bodies, problem bodies for bad queries
 * and unknown ids, Prometheus text), the bearer token guards everything but /health, the scheduler
 * issues each slot's forecast once (a restart in the same slot issues nothing new), and interrupting the
 * server closes the store (the directory can be opened again).
 */
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { Effect, Exit, Fiber, Layer, ManagedRuntime } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import type { ArchiveRow } from "../../src/domain/archive/csv"
import { demoHistory } from "../../src/domain/demo/history"
import { parseWindowSchedule, scheduledWindowAt, type WindowSchedule } from "../../src/domain/forecast/schedule"
import { DAY_MS, dayFloor, toIsoUtc } from "../../src/domain/time"
import { importRows } from "../../src/programs/import/program"
import { serveCommand } from "../../src/programs/serve/command"
import { scheduledCalendarForecastId, scheduledForecastId } from "../../src/programs/serve/program"
import { errorLine, exitCodeFor, primaryError } from "../../src/programs/cli/cli-errors"
import { recordingConsole, testEnvironment } from "../support/cli"
import { withEmbeddedStore } from "../support/embedded-store"
import { withTempDataDir } from "../support/pglite"

const root = withTempDataDir("mt-serve-")
const dataDir = join(root, "store")
const TOKEN = "s3cret-api-token"
const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands([serveCommand])), { name: "musktracker", version: "0" })
let rows: ArchiveRow[] = []
const SCHEDULE = "fri 12:00 America/New_York 7d"

interface Running {
  readonly base: string
  readonly output: { readonly out: string[]; readonly err: string[]; readonly logs: string[] }
  readonly stop: () => Promise<Exit.Exit<void, unknown>>
}

/** Starts `serve ARGS` in this process and waits for its "listening on" line. */
const start = async (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Running> => {
  const { output, layer } = testEnvironment({ MUSKTRACKER_DATA_DIR: dataDir, LOG_LEVEL: "warning", ...env })
  const fiber = Effect.runFork(cli(["node", "musktracker", "serve", "--listen", "127.0.0.1:0", ...args]).pipe(Effect.provide(NodeContext.layer), Effect.provide(layer)))
  for (let i = 0; i < 600; i++) {
    const line = output.out.find((l) => l.startsWith("serve: listening on "))
    if (line !== undefined) {
      const base = /listening on (http:\/\/\S+)/.exec(line)![1]!
      return { base, output, stop: () => Effect.runPromise(Fiber.interrupt(fiber)) as Promise<Exit.Exit<void, unknown>> }
    }
    const done = fiber.unsafePoll()
    if (done !== null) throw new Error(`serve ended before listening: ${JSON.stringify(done)} ${output.err.join("\n")}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`serve did not start listening: ${output.out.join("\n")} ${output.err.join("\n")}`)
}

const get = async (base: string, path: string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${base}${path}`, { headers })
  const text = await r.text()
  return { status: r.status, type: r.headers.get("content-type") ?? "", text, json: () => JSON.parse(text) as any }
}

beforeAll(async () => {
  rows = demoHistory(Date.now(), 10, 11).map((t, i) => ({ line: i + 2, tweetId: t.id, createdAt: t.createdAtMs, kind: t.kind }))
  const rt = ManagedRuntime.make(Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(dataDir))).pipe(Layer.provideMerge(recordingConsole())))
  await rt.runPromise(importRows(rows, "elonmusk", "csv slice"))
  await rt.dispose()
}, 120_000)

describe("serve: the HTTP API", () => {
  let s: Running
  beforeAll(async () => {
    s = await start(["--forecast-every", "7d", "--windows", "24h,7d", "--window-schedule", SCHEDULE])
  }, 180_000)
  afterAll(async () => {
    await s?.stop()
  })

  it("says in one line that it does not ingest without X_BEARER_TOKEN, and keeps serving", () => {
    expect(s.output.out).toContain("serve: X_BEARER_TOKEN is not set: no ingestion (the API serves what the store holds)")
  })

  it("/health, /ready and /openapi.json", async () => {
    expect((await get(s.base, "/health")).json()).toEqual({ status: "ok" })
    expect((await get(s.base, "/openapi.json")).json().paths["/counts"].get.summary).toBe("Tweets per UTC hour or day")
    const ready = await get(s.base, "/ready")
    expect(ready.status).toBe(200)
    expect(ready.json().checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ["store", true],
      ["projections", true]
    ])
  })

  it("/counts: daily and hourly rows equal the CSV's counts; a bad query is a 400 problem", async () => {
    const from = dayFloor(Date.now()) - 8 * DAY_MS
    const r = await get(s.base, `/counts?granularity=day&from=${toIsoUtc(from)}&to=${toIsoUtc(from + 7 * DAY_MS)}`)
    expect(r.status).toBe(200)
    const body = r.json()
    expect(body.granularity).toBe("day")
    expect(body.account).toBe("elonmusk")
    expect(body.rows).toHaveLength(7)
    for (const [i, row] of (body.rows as Array<{ start: string; count: number }>).entries()) {
      expect(row.start).toBe(new Date(from + i * DAY_MS).toISOString().replace(".000Z", "Z"))
      expect(row.count).toBe(rows.filter((t) => t.createdAt >= from + i * DAY_MS && t.createdAt < from + (i + 1) * DAY_MS).length)
    }
    const hourly = (await get(s.base, `/counts?from=${toIsoUtc(from)}&to=${toIsoUtc(from + 6 * 3_600_000)}&count=post`)).json()
    expect(hourly.rows).toHaveLength(6)
    expect(hourly.count).toEqual(["post"])
    for (const [q, detail] of [
      ["granularity=week", /granularity "week" is not hour or day/],
      ["from=yesterday", /from "yesterday" is not an ISO 8601 instant/],
      ["from=2025-12-02T00:00:00Z&to=2025-12-01T00:00:00Z", /is not before/],
      ["account=not%20valid", /account "not valid" is not an X handle/],
      ["count=likes", /"likes" is not all, no-replies/],
      // A misspelt parameter would otherwise be ignored (hourly counts for granularty=day), a repeated one overridden.
      ["granularty=day", /^unknown query parameter "granularty": \/counts takes from, to, granularity, count, account$/],
      ["granularity=day&granularity=hour", /^query parameter "granularity" is given more than once$/]
    ] as const) {
      const bad = await get(s.base, `/counts?${q}`)
      expect(bad.status, q).toBe(400)
      expect(bad.type).toMatch(/^application\/problem\+json/)
      expect(bad.json()).toMatchObject({ status: 400, title: "Bad Request" })
      expect(bad.json().detail).toMatch(detail)
      expect(bad.text).not.toMatch(/at .*\.ts:\d+/)
    }
    // An account the store has never seen is a 404 naming the ones it has, not a run of zeros.
    const unknown = await get(s.base, "/counts?account=nobody_here")
    expect(unknown.status).toBe(404)
    expect(unknown.json()).toMatchObject({ status: 404, title: "Not Found" })
    expect(unknown.json().detail).toBe("the store knows no account @nobody_here (no tweet, ingest run or curated event of it); accounts in the store: @elonmusk")
  })

  it("the scheduler issued each window's forecast for this slot; /forecasts and /forecasts/{id} show them", async () => {
    // The first tick runs at start; wait for the three windows.
    let list: any
    for (let i = 0; i < 200; i++) {
      list = (await get(s.base, "/forecasts")).json()
      if (list.forecasts.length >= 3) break
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(list.forecasts).toHaveLength(3)
    const slot = Math.floor(Date.now() / (7 * DAY_MS)) * 7 * DAY_MS
    const market = parseWindowSchedule(SCHEDULE) as WindowSchedule
    const marketWindow = scheduledWindowAt(market, Date.now())
    const ids = [scheduledForecastId("elonmusk", 24, slot), scheduledForecastId("elonmusk", 168, slot)]
    const calendarId = scheduledCalendarForecastId("elonmusk", market, marketWindow.start, slot)
    expect(list.forecasts.map((f: { id: string }) => f.id).sort()).toEqual([...ids, calendarId].sort())
    // The market's week (Friday noon New York to Friday noon) is a nowcast: its observed part is the count so far.
    const calendar = (await get(s.base, `/forecasts/${calendarId}`)).json()
    expect(calendar.window).toEqual({ start: toIsoUtc(marketWindow.start), end: toIsoUtc(marketWindow.end) })
    expect(calendar.observed).toBe(rows.filter((t) => t.createdAt >= marketWindow.start && t.createdAt < Date.parse(calendar.origin)).length)
    const week = (await get(s.base, `/forecasts/${ids[1]}`)).json()
    expect(week.hourly).toHaveLength(168)
    expect(week.window.end > week.window.start).toBe(true)
    expect(week.total.quantiles.length).toBeGreaterThanOrEqual(5)
    const one = (await get(s.base, `/forecasts?window=${encodeURIComponent(`${week.window.start}/${week.window.end}`)}`)).json()
    expect(one.forecasts.map((f: { id: string }) => f.id)).toEqual([ids[1]])
    const missing = await get(s.base, "/forecasts/0d6f7a5e-0000-4000-8000-000000000000")
    expect(missing.status).toBe(404)
    expect(missing.json().detail).toBe("no forecast 0d6f7a5e-0000-4000-8000-000000000000")
    expect((await get(s.base, "/backtests/latest")).status).toBe(404)
    expect((await get(s.base, "/nowhere")).status).toBe(404)
    // Each endpoint takes the parameters its OpenAPI entry lists, and only those.
    const windowTypo = await get(s.base, "/forecasts?windw=x")
    expect(windowTypo.status).toBe(400)
    expect(windowTypo.json().detail).toBe('unknown query parameter "windw": /forecasts takes window, account')
    expect((await get(s.base, "/backtests/latest?model=hawkes")).json().detail).toBe('unknown query parameter "model": /backtests/latest takes account')
  }, 120_000)

  it("/metrics is Prometheus text with the log, the projections and the scheduler", async () => {
    const m = await get(s.base, "/metrics")
    expect(m.type).toMatch(/^text\/plain/)
    // The imported tweets, the default model's fit (made by the first forecast, used by the others) and three forecasts.
    expect(m.text).toMatch(new RegExp(`^musktracker_events_total ${rows.length + 4}$`, "m"))
    expect(m.text).toMatch(/^musktracker_projection_lag_events\{projection="hourly_counts"\} 0$/m)
    expect(m.text).toMatch(/^musktracker_forecasts_issued_total 3$/m)
    expect(m.text).toMatch(/^# TYPE musktracker_scored_crps_mean gauge$/m)
  })
})

describe("serve: token, restarts and shutdown", () => {
  it("with MUSKTRACKER_API_TOKEN every endpoint but /health needs the bearer token; a restart in the same slot issues nothing new", async () => {
    const s = await start(["--forecast-every", "7d", "--windows", "24h,7d", "--window-schedule", SCHEDULE], { MUSKTRACKER_API_TOKEN: TOKEN })
    try {
      expect((await get(s.base, "/health")).status).toBe(200)
      const denied = await get(s.base, "/forecasts")
      expect(denied.status).toBe(401)
      expect(denied.text).not.toContain(TOKEN)
      expect((await get(s.base, "/forecasts", { authorization: "Bearer wrong" })).status).toBe(401)
      expect((await get(s.base, "/forecasts", { authorization: `Bearer ${TOKEN}x` })).status).toBe(401)
      await new Promise((r) => setTimeout(r, 3_000))
      const list = (await get(s.base, "/forecasts", { authorization: `Bearer ${TOKEN}` })).json()
      // Still the three forecasts of the first run: this slot's ids exist already.
      expect(list.forecasts).toHaveLength(3)
      const m = await get(s.base, "/metrics", { authorization: `Bearer ${TOKEN}` })
      expect(m.text).toMatch(/^musktracker_forecasts_issued_total 0$/m)
    } finally {
      const exit = await s.stop()
      expect(Exit.isInterrupted(exit)).toBe(true)
    }
    // Stopped: the embedded directory's lock is released and the log holds exactly the three forecasts and their fit.
    expect(await withEmbeddedStore(dataDir, (st) => st.count)).toBe(rows.length + 4)
  }, 180_000)

  it("an address it cannot listen on ends it with one line (exit 1) before any forecast is issued", async () => {
    const count = () => withEmbeddedStore(dataDir, (st) => st.count)
    const before = await count()
    const taken = createServer()
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()))
    const port = (taken.address() as AddressInfo).port
    try {
      const { layer } = testEnvironment({ MUSKTRACKER_DATA_DIR: dataDir, LOG_LEVEL: "warning" })
      // A window no earlier run issued: a worker started before the bind would record its forecast.
      const args = ["node", "musktracker", "serve", "--listen", `127.0.0.1:${port}`, "--forecast-every", "7d", "--windows", "48h"]
      const exit = await Effect.runPromiseExit(cli(args).pipe(Effect.provide(NodeContext.layer), Effect.provide(layer)))
      if (Exit.isSuccess(exit)) throw new Error("serve should not start on a port in use")
      const e = primaryError(exit.cause)
      expect(exitCodeFor(e)).toBe(1)
      expect(errorLine(e)).toBe(`--listen 127.0.0.1:${port}: cannot listen there: the address is already in use (another process listens on it)`)
    } finally {
      await new Promise((r) => taken.close(r))
    }
    expect(await count()).toBe(before)
  }, 120_000)
})

describe("serve: the OpenAPI document", () => {
  it("is generated from the schemas, lists every endpoint, and every $ref resolves in it", async () => {
    const { openApiDocument } = await import("../../src/programs/serve/openapi")
    const doc = openApiDocument("0") as any
    expect(doc.openapi).toBe("3.1.0")
    expect(Object.keys(doc.paths).sort()).toEqual(["/backtests/latest", "/counts", "/forecasts", "/forecasts/{id}", "/health", "/metrics", "/openapi.json", "/ready"])
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(10)
    for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined()
    expect(JSON.stringify(doc)).not.toContain("#/$defs/")
    expect(doc.components.schemas.Counts.properties.granularity.enum).toEqual(["hour", "day"])
  })
})
