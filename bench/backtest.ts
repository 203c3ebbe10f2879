/**
 * `train --model all --protocol dev` on the shared data: the 25 development origins of
 * ../shared/PROTOCOL.md, every model, 2000 paths, on this machine's cores. Reports total wall time
 * (target <= 60 s), time per model per origin, peak RSS, and the protocol metrics per model (which the
 * README's table quotes). The CSV is imported into a fresh embedded store first (not timed).
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { readArchive } from "../src/adapters/archive/read-archive"
import { EventStoreSql } from "../src/adapters/event-store/sql"
import { migrated } from "../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../src/adapters/sql/pglite"
import { protocolReport } from "../src/domain/metrics/evaluate"
import { MODEL_KINDS } from "../src/domain/models/model"
import { importRows } from "../src/programs/import"
import { trainProgram } from "../src/programs/train/command"
import { TWEETS_CSV } from "./data"
import { atMost, peakRssMiB, report, type BenchResult } from "./lib"

export default async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "mt-bench-backtest-"))
  const runtime = ManagedRuntime.make(Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(dir))))
  try {
    const rows = await Effect.runPromise(readArchive(TWEETS_CSV))
    await runtime.runPromise(importRows(rows, "elonmusk", "bench"))
    const load = loadavg()[0]!
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const { outcome } = await runtime.runPromise(
      trainProgram({
        models: MODEL_KINDS,
        backtestWindows: 25,
        trainWindow: "8w",
        protocol: "dev",
        origins: undefined,
        paths: 2000,
        seed: 42,
        workers: cpus().length,
        kinds: ["post", "reply", "quote", "retweet"]
      })
    )
    const wallS = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(c0)
    const perModel = outcome.summaries.map((s) => report(`fit_s median ${s.model}`, s.fit_s, "s"))
    return {
      targets: [
        atMost("train --model all --protocol dev, total wall", wallS, "s", 60),
        ...perModel,
        report("main-thread CPU", (cpu.user + cpu.system) / 1e6, "s"),
        report("peak RSS (main thread; workers share the process)", peakRssMiB(), "MiB"),
        report("load average at start", load, "")
      ],
      details: {
        backtestId: outcome.backtestId,
        metrics: outcome.summaries.map((s) => ({
          model: s.model,
          origins: s.origins,
          ...protocolReport(s),
          failures: s.failures ?? []
        }))
      }
    }
  } finally {
    await runtime.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}
