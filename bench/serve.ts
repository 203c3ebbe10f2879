/**
 * `npm run bench -- serve`: the service under load, as deployed. PostgreSQL holds the shared data
 * (imported through the CLI); `musktracker serve --stream` runs as a child process (the built CLI) against
 * the X stand-in in this process. Then:
 * - 8 concurrent clients (this process) call `GET /forecasts` and `GET /counts?granularity=day` for 10 s:
 *   requests/s and p50/p99 latency (targets: >= 500 requests/s, p99 <= 50 ms on the 2-core machine);
 *   then 16 clients, reported (at saturation, latency grows with the queue: Little's law);
 * - posts appear one at a time on the stand-in's stream; for each, the delay until `GET /counts` counts it
 *   (target p99 <= 2 s).
 * Client and server share the machine's two cores, as they would on one host.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { loadavg } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { createScratchDatabase } from "../src/adapters/sql/admin"
import { startFakeXServer } from "../src/adapters/x-api/fake-server"
import { snowflakeIdAt } from "../src/domain/ingestion/tweet-id"
import { TWEETS_CSV } from "./data"
import { atLeast, atMost, report, type BenchResult, type BenchTarget } from "./lib"

/** Concurrent clients of the judged run; a second run with twice as many is reported beside it. */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8)
const LOAD_SECONDS = 10
const STREAM_POSTS = 30
const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const bin = join(root, "bin/musktracker.js")

const run = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env })
    let out = ""
    child.stdout.on("data", (d: Buffer) => (out += d.toString()))
    child.stderr.on("data", (d: Buffer) => (out += d.toString()))
    child.on("close", (code) => resolve({ code, out }))
  })

const quantile = (xs: ReadonlyArray<number>, p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!
}

export default async function runBench(): Promise<BenchResult> {
  const loadBefore = loadavg()[0]!
  const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
  const scratch = await createScratchDatabase(adminUrl, "mt_bench_serve_")
  const stand = await startFakeXServer({ users: [{ id: "44196397", username: "elonmusk" }], streamKeepAliveMs: 5_000 })
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: scratch.url, X_API_BASE_URL: stand.url, X_BEARER_TOKEN: stand.token, LOG_LEVEL: "warning" }
  delete env.EVENTSTORE_URL
  delete env.MUSKTRACKER_API_TOKEN
  let child: ChildProcess | undefined
  try {
    const imported = await run(["import", TWEETS_CSV], env)
    if (imported.code !== 0) throw new Error(`import failed: ${imported.out}`)
    const forecast = await run(["forecast", "--horizon", "7d", "--paths", "2000"], env)
    if (forecast.code !== 0) throw new Error(`forecast failed: ${forecast.out}`)

    const base = await new Promise<string>((resolve, reject) => {
      const c = spawn(process.execPath, [bin, "serve", "--listen", "127.0.0.1:0", "--stream", "--poll-every", "1h", "--forecast-every", "7d", "--windows", "7d"], { env })
      child = c
      let out = ""
      const onData = (d: Buffer) => {
        out += d.toString()
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m) resolve(m[1]!)
      }
      c.stdout!.on("data", onData)
      c.stderr!.on("data", onData)
      c.on("exit", (code) => reject(new Error(`serve exited (${code}): ${out}`)))
    })
    // Wait for the stream connection and the first catch-up.
    for (let i = 0; i < 200 && stand.stream.connections() === 0; i++) await new Promise((r) => setTimeout(r, 100))
    if (stand.stream.connections() === 0) throw new Error("serve did not connect to the stream")

    // Load: `clients` loops, alternating the two endpoints, for LOAD_SECONDS.
    const load = async (clients: number) => {
      const latencies: number[] = []
      let failed = 0
      const end = performance.now() + LOAD_SECONDS * 1000
      await Promise.all(
        Array.from({ length: clients }, async (_, k) => {
          for (let i = k; performance.now() < end; i++) {
            const t = performance.now()
            const r = await fetch(`${base}${i % 2 === 0 ? "/forecasts" : "/counts?granularity=day"}`)
            await r.arrayBuffer()
            if (r.status !== 200) failed++
            latencies.push(performance.now() - t)
          }
        })
      )
      return { rps: latencies.length / LOAD_SECONDS, latencies, failed }
    }
    const judged = await load(CLIENTS)
    const doubled = await load(2 * CLIENTS)

    // Stream delay: one post at a time, until GET /counts of its hour counts it.
    const delays: number[] = []
    for (let i = 0; i < STREAM_POSTS; i++) {
      const ms = Date.now() - 100
      const hour = Math.floor(ms / 3_600_000) * 3_600_000
      const url = `${base}/counts?from=${new Date(hour).toISOString()}&to=${new Date(hour + 3_600_000).toISOString()}`
      const countNow = async () => ((await (await fetch(url)).json()) as { rows: Array<{ count: number }> }).rows[0]!.count
      const before = await countNow()
      const t0 = performance.now()
      stand.addTweets([{ id: snowflakeIdAt(ms, 3000 + i), created_at: new Date(ms).toISOString(), author_id: "44196397" }])
      for (;;) {
        if ((await countNow()) > before) break
        if (performance.now() - t0 > 30_000) throw new Error("a streamed post was not counted within 30 s")
        await new Promise((r) => setTimeout(r, 20))
      }
      delays.push(performance.now() - t0)
    }

    const targets: BenchTarget[] = [
      atLeast(`GET /forecasts + /counts, ${CLIENTS} clients for ${LOAD_SECONDS} s`, judged.rps, "requests/s", 500),
      atMost(`request latency p99, ${CLIENTS} clients`, quantile(judged.latencies, 0.99), "ms", 50),
      report(`request latency p50, ${CLIENTS} clients`, quantile(judged.latencies, 0.5), "ms"),
      report(`requests/s, ${2 * CLIENTS} clients`, doubled.rps, "requests/s"),
      report(`request latency p99, ${2 * CLIENTS} clients`, quantile(doubled.latencies, 0.99), "ms"),
      report("failed requests", judged.failed + doubled.failed, ""),
      atMost(`stream post to GET /counts, p99 of ${STREAM_POSTS}`, quantile(delays, 0.99), "ms", 2000),
      report("stream post to GET /counts, p50", quantile(delays, 0.5), "ms"),
      report("load average at start", loadBefore, "")
    ]
    return { targets, notes: ["client and server on the same 2-core machine; PostgreSQL holds the shared data (70,233 tweets) and one forecast"] }
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r))
      child.kill("SIGTERM")
      await exited
    }
    await stand.close()
    await scratch.drop()
  }
}
