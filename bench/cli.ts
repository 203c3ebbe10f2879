/**
 * CLI start-up and small commands, as a user meets them: the compiled CLI (`bin/musktracker.js`, built
 * into dist/ first), each command a fresh process, median of 5 runs after one warm-up, wall time and
 * the process's own peak RSS (bench/rss-hook.cjs).
 *
 * Set-up (not timed): the shared archive imported into a fresh embedded store and into a scratch
 * PostgreSQL database (TEST_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { performance } from "node:perf_hooks"
import { createScratchDatabase } from "../src/adapters/sql/admin"
import { atMost, report, type BenchResult } from "./lib"
import { TWEETS_CSV } from "./data"

const root = fileURLToPath(new URL("..", import.meta.url))
const bin = join(root, "bin/musktracker.js")
const hook = join(root, "bench/rss-hook.cjs")
const RUNS = 5

interface Measured {
  readonly wallS: number
  readonly rssMiB: number
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const measure = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Measured => {
  const rssFile = join(tmpdir(), `mt-bench-rss-${process.pid}`)
  const walls: number[] = []
  const rss: number[] = []
  for (let i = 0; i <= RUNS; i++) {
    writeFileSync(rssFile, "")
    const t0 = performance.now()
    const r = spawnSync(process.execPath, [bin, ...args], {
      env: { ...env, NODE_OPTIONS: `--require ${hook}`, MT_BENCH_RSS_FILE: rssFile, LOG_LEVEL: "warn" },
      encoding: "utf8"
    })
    const wall = (performance.now() - t0) / 1000
    if (r.status !== 0) throw new Error(`musktracker ${args.join(" ")} exited ${r.status}: ${r.stderr}`)
    if (i === 0) continue // warm-up (file cache)
    walls.push(wall)
    rss.push(Number(readFileSync(rssFile, "utf8").trim().split("\n")[0]) / 1024)
  }
  rmSync(rssFile, { force: true })
  return { wallS: median(walls), rssMiB: median(rss) }
}

export default async function run(): Promise<BenchResult> {
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" })
  const dir = mkdtempSync(join(tmpdir(), "mt-bench-cli-"))
  const base: NodeJS.ProcessEnv = { ...process.env }
  delete base.DATABASE_URL
  delete base.EVENTSTORE_URL
  const embedded = { ...base, MUSKTRACKER_DATA_DIR: join(dir, "store") }
  const adminUrl = process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
  const pg = await createScratchDatabase(adminUrl, "mt_bench_cli_")
  const postgres = { ...base, DATABASE_URL: pg.url }
  try {
    for (const env of [embedded, postgres]) execFileSync(process.execPath, [bin, "import", TWEETS_CSV], { env: { ...env, LOG_LEVEL: "warn" }, stdio: "ignore" })
    const help = measure(["--help"], base)
    const statusEmbedded = measure(["status"], embedded)
    const statusPostgres = measure(["status"], postgres)
    const countsDaily = measure(["counts", "--daily"], embedded)
    return {
      targets: [
        atMost("--help wall (median of 5)", help.wallS, "s", 0.3),
        atMost("--help peak RSS (median of 5)", help.rssMiB, "MiB", 100),
        atMost("status, embedded store with the shared data (median of 5)", statusEmbedded.wallS, "s", 1.5),
        atMost("status, PostgreSQL with the shared data (median of 5)", statusPostgres.wallS, "s", 0.6),
        atMost("counts --daily, embedded store (median of 5)", countsDaily.wallS, "s", 2),
        report("status, embedded: peak RSS", statusEmbedded.rssMiB, "MiB"),
        report("status, PostgreSQL: peak RSS", statusPostgres.rssMiB, "MiB"),
        report("counts --daily, embedded: peak RSS", countsDaily.rssMiB, "MiB")
      ],
      notes: [`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(" / ")}`]
    }
  } finally {
    await pg.drop()
    rmSync(dir, { recursive: true, force: true })
  }
}
