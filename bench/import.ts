/**
 * `npm run bench -- import`: `musktracker import` of the shared 70k-row CSV, projections included, on
 * the embedded store (PGlite in a fresh temp directory) and on PostgreSQL (a throwaway database):
 * rows/s and peak RSS. Target: the whole import <= 10 s embedded.
 *
 * Each backend runs in its own child process (this file, forked with MT_BENCH_IMPORT_CHILD set), so
 * each peak RSS is that backend's alone. Measured, in the command's order: opening the store (a fresh
 * one: its migrations), reading and validating the CSV, appending the TweetObserved events (batches of
 * 1,000, one transaction each), catching up every projection; then a second import of the same file
 * (which appends nothing). Wall time and process CPU time (user + system) are recorded side by side:
 * the machine is shared, and CPU time is the cost without contention (for PostgreSQL it leaves out
 * the server's own CPU, which runs in another process).
 */
import { fork } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { Effect, Layer, ManagedRuntime } from "effect"
import { readArchive } from "../src/adapters/archive/read-archive"
import { EventStoreSql } from "../src/adapters/event-store/sql"
import { createScratchDatabase } from "../src/adapters/sql/admin"
import type { SqlDatabase } from "../src/adapters/sql/database"
import { migrated } from "../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../src/adapters/sql/pglite"
import { SqlDatabasePostgres } from "../src/adapters/sql/postgres"
import { catchUpProjections } from "../src/programs/catch-up"
import { importRows } from "../src/programs/import/program"
import { TWEETS_CSV } from "./data"
import { atMost, peakRssMiB, report, type BenchResult, type BenchTarget } from "./lib"

type Backend = "pglite" | "postgres"

interface Phase {
  readonly wallSeconds: number
  readonly cpuSeconds: number
}

interface Measured {
  readonly backend: Backend
  readonly rows: number
  readonly appended: number
  readonly projectedEvents: number
  readonly open: Phase
  readonly parse: Phase
  readonly append: Phase
  readonly project: Phase
  /** open + parse + append + project: what `musktracker import FILE` does on a fresh store. */
  readonly total: Phase
  readonly second: Phase & { readonly appended: number }
  readonly peakRssMiB: number
}

const phase = async <A>(f: () => Promise<A>): Promise<[Phase, A]> => {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const a = await f()
  const c = process.cpuUsage(c0)
  return [{ wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 }, a]
}

const sum = (ps: ReadonlyArray<Phase>): Phase => ({
  wallSeconds: ps.reduce((s, p) => s + p.wallSeconds, 0),
  cpuSeconds: ps.reduce((s, p) => s + p.cpuSeconds, 0)
})

/** One backend, in this process. */
const measure = async (backend: Backend, database: Layer.Layer<SqlDatabase, unknown>): Promise<Measured> => {
  const rt = ManagedRuntime.make(EventStoreSql.pipe(Layer.provideMerge(migrated(database))))
  try {
    const [open] = await phase(() => rt.runPromise(Effect.void))
    const [parse, rows] = await phase(() => rt.runPromise(readArchive(TWEETS_CSV)))
    const [append, summary] = await phase(() => rt.runPromise(importRows(rows, "elonmusk", TWEETS_CSV)))
    const [project, projected] = await phase(() => rt.runPromise(catchUpProjections))
    const [second, again] = await phase(async () => {
      const rows2 = await rt.runPromise(readArchive(TWEETS_CSV))
      const s = await rt.runPromise(importRows(rows2, "elonmusk", TWEETS_CSV))
      await rt.runPromise(catchUpProjections)
      return s
    })
    if (summary.appended !== rows.length) throw new Error(`appended ${summary.appended} of ${rows.length} rows`)
    if (again.appended !== 0) throw new Error(`the second import appended ${again.appended}`)
    return {
      backend,
      rows: rows.length,
      appended: summary.appended,
      projectedEvents: projected.events,
      open,
      parse,
      append,
      project,
      total: sum([open, parse, append, project]),
      second: { ...second, appended: again.appended },
      peakRssMiB: peakRssMiB()
    }
  } finally {
    await rt.dispose()
  }
}

const runChild = async (backend: Backend): Promise<Measured> => {
  if (backend === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "mt-bench-import-"))
    try {
      return await measure(backend, SqlDatabasePglite(join(dir, "store")))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
  const scratch = await createScratchDatabase(adminUrl, "mt_bench_")
  try {
    return await measure(backend, SqlDatabasePostgres(scratch.url))
  } finally {
    await scratch.drop()
  }
}

// Forked: measure one backend and send the result to the parent.
if (process.env.MT_BENCH_IMPORT_CHILD) {
  const backend = process.env.MT_BENCH_IMPORT_CHILD as Backend
  runChild(backend).then(
    (m) => process.send!({ ok: true, m }, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: e instanceof Error ? e.message : String(e) }, () => process.exit(1))
  )
}

const inChild = (backend: Backend): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, MT_BENCH_IMPORT_CHILD: backend },
      stdio: ["ignore", "inherit", "ignore", "ipc"]
    })
    let settled = false
    child.on("message", (msg: { ok: boolean; m?: Measured; error?: string }) => {
      settled = true
      if (msg.ok) resolve(msg.m!)
      else reject(new Error(msg.error))
    })
    child.on("error", reject)
    child.on("exit", (code) => {
      if (!settled) reject(new Error(`${backend} child exited with code ${code} without a result`))
    })
  })

const round3 = (v: number) => Math.round(v * 1000) / 1000

export default async function run(): Promise<BenchResult> {
  const load: number[] = [loadavg()[0]!]
  const targets: BenchTarget[] = []
  const notes: string[] = []
  const details: Record<string, unknown> = {}

  const lite = await inChild("pglite")
  load.push(loadavg()[0]!)
  targets.push(atMost("import_embedded_total", lite.total.wallSeconds, "s", 10))
  targets.push(report("import_embedded_total_cpu", lite.total.cpuSeconds, "s"))
  targets.push(report("import_embedded_rows_per_s", lite.rows / lite.total.wallSeconds, "rows/s"))
  targets.push(report("import_embedded_rows_per_cpu_s", lite.rows / lite.total.cpuSeconds, "rows/s"))
  targets.push(report("import_embedded_peak_rss", lite.peakRssMiB, "MiB"))
  targets.push(report("reimport_embedded", lite.second.wallSeconds, "s"))
  details.pglite = lite

  try {
    const pg = await inChild("postgres")
    targets.push(report("import_postgres_total", pg.total.wallSeconds, "s"))
    targets.push(report("import_postgres_total_client_cpu", pg.total.cpuSeconds, "s"))
    targets.push(report("import_postgres_rows_per_s", pg.rows / pg.total.wallSeconds, "rows/s"))
    targets.push(report("import_postgres_peak_rss", pg.peakRssMiB, "MiB"))
    targets.push(report("reimport_postgres", pg.second.wallSeconds, "s"))
    details.postgres = pg
  } catch (e) {
    notes.push(`PostgreSQL failed or unreachable: ${e instanceof Error ? e.message : String(e)}`)
  }
  load.push(loadavg()[0]!)

  const phases = (m: Measured) =>
    (["open", "parse", "append", "project"] as const)
      .map((k) => `${k} ${round3(m[k].wallSeconds)} s wall / ${round3(m[k].cpuSeconds)} s CPU`)
      .join(", ")
  notes.push(
    `${lite.rows} rows of ../shared/data/elonmusk-tweets-2022-11-to-2025-12.csv; total = open a fresh store (migrations) + read and validate the CSV + append (TweetObserved, batches of 1,000, one transaction each) + catch up every projection, as \`musktracker import FILE\` does`,
    `embedded phases: ${phases(lite)}`,
    ...(details.postgres ? [`PostgreSQL phases: ${phases(details.postgres as Measured)} (CPU is this process only; the server's is not counted)`] : []),
    "reimport_*: the same file again (read, validate, append nothing, catch up nothing): the cost of idempotency",
    "each backend runs in its own child process, so each peak RSS (maxRSS) is that backend's alone; PGlite's includes its WASM PostgreSQL",
    `1-minute load average ${load.map((l) => l.toFixed(1)).join(" / ")} (start / after embedded / after PostgreSQL) on ${cpus().length} CPUs shared with other work: wall times are inflated by it, CPU times much less`
  )
  return { targets, notes, details }
}
