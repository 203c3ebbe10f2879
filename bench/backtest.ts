/**
 * Forecast skill and backtest cost on the shared data: `train --model all` on the 25 development
 * origins of ../shared/PROTOCOL.md (`--protocol dev`) and, to show that no choice was tuned to them, on
 * the 26 Mondays 2024-01-01..2024-06-24 (`--origins`). Every model, its recalibrated variant and the
 * ensemble, 2000 paths, 26 burn-in weeks, this machine's cores. The CSV is imported into a fresh
 * embedded store first (not timed).
 *
 * Targets (issue "Forecast skill"): on each period, the best forecaster's crps_week <= 60 and its
 * nowcasts crps_week_at_1d/3d/5d <= 50/34/21, its cover80 in [0.72, 0.88] at every issue time; every
 * model's fit_s median <= 0.5 s; the dev run <= 60 s wall. The full tables go to `details`.
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
import { nowcastFields, type ModelBacktestSummary } from "../src/domain/events/backtest"
import { protocolReport } from "../src/domain/metrics/evaluate"
import { isModelKind, MODEL_KINDS } from "../src/domain/models/model"
import { importRows } from "../src/programs/import/program"
import { trainProgram } from "../src/programs/train/program"
import { TWEETS_CSV } from "./data"
import { atMost, peakRssMiB, report, type BenchResult, type BenchTarget } from "./lib"

const within = (name: string, value: number, lo: number, hi: number): BenchTarget => ({
  name,
  value: Math.round(value * 1000) / 1000,
  unit: "",
  target: `in [${lo}, ${hi}]`,
  met: value >= lo && value <= hi
})

const row = (s: ModelBacktestSummary) => ({
  model: s.model,
  origins: s.origins,
  ...protocolReport(s),
  ...nowcastFields(s, undefined),
  failures: s.failures ?? []
})

const skillTargets = (label: string, summaries: ReadonlyArray<ModelBacktestSummary>): BenchTarget[] => {
  const best = [...summaries].sort((a, b) => a.crps_week - b.crps_week)[0]!
  const reference = summaries.find((s) => s.model === "ewma_level")
  return [
    atMost(`${label}: best crps_week (${best.model})`, best.crps_week, "", 60),
    atMost(`${label}: best crps_week_at_1d (${best.model})`, best.crps_week_at_1d!, "", 50),
    atMost(`${label}: best crps_week_at_3d (${best.model})`, best.crps_week_at_3d!, "", 34),
    atMost(`${label}: best crps_week_at_5d (${best.model})`, best.crps_week_at_5d!, "", 21),
    within(`${label}: best cover80_week (${best.model})`, best.cover80_week, 0.72, 0.88),
    within(`${label}: best cover80_week_at_1d (${best.model})`, best.cover80_week_at_1d!, 0.72, 0.88),
    within(`${label}: best cover80_week_at_3d (${best.model})`, best.cover80_week_at_3d!, 0.72, 0.88),
    within(`${label}: best cover80_week_at_5d (${best.model})`, best.cover80_week_at_5d!, 0.72, 0.88),
    ...(reference === undefined ? [] : [report(`${label}: ewma_level (the protocol's reference point) crps_week`, reference.crps_week, "")])
  ]
}

export default async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "mt-bench-backtest-"))
  const runtime = ManagedRuntime.make(Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(dir))))
  try {
    const rows = await Effect.runPromise(readArchive(TWEETS_CSV))
    await runtime.runPromise(importRows(rows, "elonmusk", "bench"))
    const load = loadavg()[0]!
    const train = (protocol: "dev" | undefined, origins: string | undefined) =>
      runtime.runPromise(
        trainProgram({
          account: "elonmusk",
          models: MODEL_KINDS,
          backtestWindows: 25,
          trainWindow: "8w",
          protocol,
          origins,
          paths: 2000,
          seed: 42,
          workers: cpus().length,
          kinds: ["post", "reply", "quote", "retweet"]
        })
      )
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const dev = await train("dev", undefined)
    const wallS = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(c0)
    const h1 = await train(undefined, "2024-01-01..2024-06-24")
    const fitTargets = dev.outcome.summaries.filter((s) => isModelKind(s.model)).map((s) => atMost(`fit_s median ${s.model} (dev)`, s.fit_s, "s", 0.5))
    return {
      targets: [
        atMost("train --model all --protocol dev (nowcasts, calibration, ensemble), total wall", wallS, "s", 60),
        ...fitTargets,
        ...skillTargets("dev", dev.outcome.summaries),
        ...skillTargets("2024-01-01..2024-06-24", h1.outcome.summaries),
        report("process CPU, all threads (dev run)", (cpu.user + cpu.system) / 1e6, "s"),
        report("peak RSS (main thread; workers share the process)", peakRssMiB(), "MiB"),
        report("load average at start", load, "")
      ],
      details: {
        dev: { backtestId: dev.outcome.backtestId, metrics: dev.outcome.summaries.map(row) },
        "2024-01-01..2024-06-24": { backtestId: h1.outcome.backtestId, metrics: h1.outcome.summaries.map(row) }
      }
    }
  } finally {
    await runtime.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}
