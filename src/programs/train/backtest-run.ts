/**
 * Runs a backtest: plans the windows from replayed knowledge, evaluates them on worker threads, and
 * records `BacktestStarted`, one `BacktestWindowEvaluated` per (model, origin) and `BacktestCompleted`.
 * Results are a pure function of (knowledge, models, origins, window, paths, seed): worker count and
 * scheduling change only the wall time.
 */
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { codeVersion } from "../../adapters/code-version"
import { siblingModule } from "../../adapters/workers/module-url"
import { runPool } from "../../adapters/workers/pool"
import type { Knowledge } from "../../domain/features/asof"
import { planBacktest } from "../../domain/backtest/plan"
import { formatTrainWindow, type TrainWindow } from "../../domain/backtest/train-window"
import {
  BacktestCompleted,
  BacktestStarted,
  BacktestWindowEvaluated,
  modelBacktestSummary,
  type ModelBacktestSummary
} from "../../domain/events/backtest"
import { ExpectedRevision } from "../../domain/events/envelope"
import { averageOverOrigins, type WindowMetrics } from "../../domain/metrics/evaluate"
import type { ModelKind } from "../../domain/models/model"
import { EventStore } from "../../domain/ports/event-store"
import { toIsoUtc } from "../../domain/time"
import type { WindowResult, WindowTask } from "./window-task"

export interface BacktestRequest {
  readonly knowledge: Knowledge
  readonly watermark: bigint
  readonly models: ReadonlyArray<ModelKind>
  readonly origins: ReadonlyArray<number>
  readonly trainWindow: TrainWindow
  readonly protocol: string
  readonly dataEnd: number
  readonly paths: number
  readonly seed: number
  readonly workers: number
}

export interface BacktestOutcome {
  readonly backtestId: string
  readonly results: ReadonlyArray<WindowResult>
  readonly summaries: ReadonlyArray<ModelBacktestSummary>
  /** Per model, the window results that succeeded, in origin order. */
  readonly perModel: ReadonlyMap<ModelKind, ReadonlyArray<Extract<WindowResult, { ok: true }>>>
}

const TASK_MODULE = siblingModule(import.meta.url, "window-task")

const median = (xs: ReadonlyArray<number>): number => {
  if (xs.length === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export const runBacktest = (req: BacktestRequest) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const plan = planBacktest(req)
    if (plan.windows.length === 0) {
      const why = plan.skipped[0]?.reason ?? "no origins"
      return yield* Effect.fail(new Error(`nothing to backtest: ${why}`))
    }
    const backtestId = randomUUID()
    const context = { codeVersion: codeVersion(), correlationId: backtestId }
    const usedOrigins = [...new Set(plan.windows.map((w) => w.origin))].sort((a, b) => a - b)
    const started = BacktestStarted.toAppend(
      {
        backtestId,
        models: [...req.models],
        origins: usedOrigins.map(toIsoUtc),
        trainWindow: formatTrainWindow(req.trainWindow),
        protocol: req.protocol,
        paths: req.paths,
        seed: req.seed,
        watermark: req.watermark.toString()
      },
      context
    )
    yield* store.append(started.stream, [started.event], ExpectedRevision.noStream)
    yield* Effect.logInfo(`backtest ${backtestId}: ${plan.windows.length} windows on ${req.workers} worker(s)`)

    const tasks = plan.windows.map((w) => ({ module: TASK_MODULE, fn: "runWindowTask", arg: w satisfies WindowTask }))
    const results = yield* Effect.tryPromise({
      try: () => runPool<WindowTask, WindowResult>(tasks, req.workers),
      catch: (e) => new Error(`backtest worker failed: ${e instanceof Error ? e.message : String(e)}`)
    })

    const windowEvents = results.flatMap((r) =>
      r.ok
        ? [
            BacktestWindowEvaluated.encode(
              {
                backtestId,
                model: r.kind,
                origin: toIsoUtc(r.origin),
                metrics: r.metrics,
                forecast: r.forecast,
                fitSeconds: r.fitSeconds
              },
              context,
              { naturalKey: `backtest-window:${backtestId}:${r.kind}:${r.origin}` }
            )
          ]
        : []
    )
    const perModel = new Map<ModelKind, Array<Extract<WindowResult, { ok: true }>>>()
    const failures = new Map<ModelKind, Array<{ origin: string; reason: string }>>()
    for (const m of req.models) {
      perModel.set(m, [])
      failures.set(m, [])
    }
    for (const r of results) {
      if (r.ok) perModel.get(r.kind)!.push(r)
      else failures.get(r.kind)!.push({ origin: toIsoUtc(r.origin), reason: r.reason })
    }
    for (const s of plan.skipped) failures.get(s.kind)!.push({ origin: toIsoUtc(s.origin), reason: s.reason })
    const summaries: ModelBacktestSummary[] = []
    for (const m of req.models) {
      const ok = perModel.get(m)!
      const fails = failures.get(m)!
      for (const f of fails) yield* Effect.logWarning(`${m} at ${f.origin}: ${f.reason}`)
      if (ok.length === 0) continue
      const metrics: WindowMetrics[] = ok.map((r) => r.metrics)
      summaries.push(modelBacktestSummary(m, averageOverOrigins(metrics), median(ok.map((r) => r.fitSeconds)), fails))
    }
    const completed = BacktestCompleted.encode({ backtestId, summary: summaries }, context)
    // Window events and the completion go in one append: a backtest is recorded whole or not at all.
    yield* store.append(started.stream, [...windowEvents, completed], ExpectedRevision.exact(0))
    return { backtestId, results, summaries, perModel } satisfies BacktestOutcome
  })
