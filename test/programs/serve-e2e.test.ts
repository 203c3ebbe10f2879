/**
 * `musktracker serve` end to end, as an operator runs it: the built CLI in a child process, real HTTP,
 * real PostgreSQL (DATABASE_URL), the X stand-in publishing posts for a bounded time on its timeline and
 * its filtered stream. The API's counts equal the served set exactly, through a stream disconnect, and
 * through `kill -9` of the server at random moments followed by restarts (posts made while it was down
 * are fetched by the catch-up); afterwards `projections verify` is clean, every post is in the log once,
 * and no token or database password appears in any output or response. (No scheduled window ends within
 * the test, so scoring once is tested where windows do end: test/programs/forecast.test.ts "scoring".)
 */
import { spawn, type ChildProcess } from "node:child_process"
import { join } from "node:path"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeXServer, startFakeXServer } from "../../src/adapters/x-api/fake-server"
import { withTempDatabase } from "../support/postgres"
import { runProcess } from "../support/process"
import { makePosts } from "./ingest-support"

const bin = join(process.cwd(), "bin/musktracker.js")
const ELON = { id: "44196397", username: "elonmusk" }
const API_TOKEN = "api-token-e2e-7f3a"
/** A database password (the local server trusts every login, so any password connects). */
const DB_PASSWORD = "db-pass-e2e-91c2"
const withPassword = (url: string) => url.replace(/^postgres(ql)?:\/\/([^:@/]+)@/, (_m, ql: string | undefined, user: string) => `postgres${ql ?? ""}://${user}:${DB_PASSWORD}@`)
const database = withTempDatabase()
let server: FakeXServer
let served = 0
let salt = 100
let output = ""
const bodies: string[] = []

const env = (): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: withPassword(database.url()), X_API_BASE_URL: server.url, X_BEARER_TOKEN: server.token, MUSKTRACKER_API_TOKEN: API_TOKEN, LOG_LEVEL: "info" }
  delete e.EVENTSTORE_URL
  delete e.MUSKTRACKER_DATA_DIR
  return e
}

/** One new post now (unique id), on the timeline and to open streams. */
const publish = () => {
  server.addTweets(makePosts(ELON.id, 1, Date.now() - 200, 1, salt++ % 1000))
  served++
}

const start = (): Promise<{ child: ChildProcess; base: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "serve", "--listen", "127.0.0.1:0", "--stream", "--poll-every", "2s", "--forecast-every", "7d", "--windows", "24h"], { env: env() })
    let mine = ""
    const onData = (d: Buffer) => {
      output += d.toString()
      mine += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(mine)
      if (m) resolve({ child, base: m[1]! })
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("exit", (code, signal) => reject(new Error(`serve exited (${code ?? signal}) before listening: ${mine}`)))
  })

const get = async (base: string, path: string) => {
  const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } })
  const text = await r.text()
  bodies.push(text)
  return { status: r.status, json: () => JSON.parse(text) as any }
}

const countedTotal = async (base: string): Promise<number> => {
  const from = new Date(Date.now() - 3 * 86_400_000).toISOString()
  const to = new Date(Date.now() + 3_600_000).toISOString()
  const r = await get(base, `/counts?from=${from}&to=${to}`)
  return r.status === 200 ? (r.json().rows as Array<{ count: number }>).reduce((s, x) => s + x.count, 0) : -1
}

const until = async (what: string, check: () => Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const publishFor = async (ms: number, during?: () => void) => {
  const end = Date.now() + ms
  let k = 0
  while (Date.now() < end) {
    publish()
    if (k++ === 10) during?.()
    await new Promise((r) => setTimeout(r, 100))
  }
}

const exitOf = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.once("exit", (code) => resolve(code)))

beforeAll(async () => {
  server = await startFakeXServer({ users: [ELON], tweets: makePosts(ELON.id, 40, Date.now() - 60 * 60_000, 60_000, 1), streamKeepAliveMs: 500 })
  served = 40
})
afterAll(async () => {
  await server.close()
})

describe("serve against the stand-in, with PostgreSQL", () => {
  it("counts every served post exactly once through a stream drop and kill -9 restarts", async () => {
    let s = await start()
    await until("the first catch-up", async () => (await countedTotal(s.base)) === served)
    // Posts for a bounded time; the stream drops once on the way.
    await publishFor(3_000, () => server.stream.disconnectAll())
    await until("every post of the first run", async () => (await countedTotal(s.base)) === served)

    for (let round = 0; round < 2; round++) {
      const publishing = publishFor(2_000)
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1_200)))
      const killed = exitOf(s.child)
      s.child.kill("SIGKILL")
      await killed
      await publishing
      // Posted while the server was down.
      for (let i = 0; i < 5; i++) publish()
      s = await start()
      await until(`every post after restart ${round + 1}`, async () => (await countedTotal(s.base)) === served)
    }
    expect(served).toBeGreaterThan(80)
    expect((await get(s.base, "/ready")).status).toBe(200)
    const metrics = await fetch(`${s.base}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } }).then((r) => r.text())
    bodies.push(metrics)
    expect(Number(/^musktracker_x_requests_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThan(0)
    expect(metrics).toMatch(/^musktracker_x_rate_limit_waits_total \d+$/m)
    expect(metrics).toMatch(/^musktracker_stream_connects_total [1-9]\d*$/m)
    expect(metrics).toMatch(/^musktracker_last_ingest_age_seconds\{account="elonmusk"\} \d/m)
    const stopped = exitOf(s.child)
    s.child.kill("SIGTERM")
    expect(await stopped).toBe(0)

    // The read models agree with a replay of the log; the log holds each post once.
    const verify = await runProcess(process.execPath, [bin, "projections", "verify"], { env: env(), timeout: 120_000 })
    expect(verify.status, verify.stdout + verify.stderr).toBe(0)
    const client = new pg.Client({ connectionString: database.url() })
    await client.connect()
    try {
      const tweets = await client.query("select count(*)::int as n, count(distinct data->>'tweetId')::int as d from events where type = 'TweetObserved'")
      expect(tweets.rows[0]).toEqual({ n: served, d: served })
    } finally {
      await client.end()
    }
    // No secret in any line the server printed or any answer it gave.
    for (const text of [output, ...bodies]) {
      expect(text).not.toContain(server.token)
      expect(text).not.toContain(API_TOKEN)
      expect(text).not.toContain(DB_PASSWORD)
    }
    expect(env().DATABASE_URL).toContain(DB_PASSWORD)
    expect(output).toMatch(/following X's filtered stream/)
  }, 240_000)
})
