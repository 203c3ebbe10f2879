/**
 * Runs a backtest: plans the windows from replayed knowledge, evaluates them on worker threads (each at
 * the origin and at the nowcast issue times), derives the calibrated models and the ensemble from the
 * results (src/domain/backtest/derived.ts), and records `BacktestStarted`, one `BacktestWindowEvaluated`
 * per (forecaster, scored origin) and `BacktestCompleted`.
 * Results are a pure function of (knowledge, models, origins, window, paths, seed): worker count and
 * scheduling change only the wall time.
 */
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { codeVersion } from "../../adapters/code-version"
import { siblingModule } from "../../adapters/workers/module-url"
import { runPool } from "../../adapters/workers/pool"
import type { Knowledge } from "../../domain/features/asof"
import { calibratedWindows, ensembleWindows, type DerivedWindow, type ModelWindow } from "../../domain/backtest/derived"
import { planBacktest } from "../../domain/backtest/plan"
import { formatTrainWindow, type TrainWindow } from "../../domain/backtest/train-window"
import {
  averageNowcasts,
  BacktestCompleted,
  BacktestStarted,
  BacktestWindowEvaluated,
  modelBacktestSummary,
  type Forecaster,
  type ModelBacktestSummary
} from "../../domain/events/backtest"
import { ExpectedRevision } from "../../domain/events/envelope"
import { averageOverOrigins } from "../../domain/metrics/evaluate"
import type { ModelKind } from "../../domain/models/model"
import { EventStore } from "../../domain/ports/event-store"
import { toIsoUtc, WEEK_MS } from "../../domain/time"
import { progressReporter } from "../cli/progress"
import type { WindowResult, WindowTask } from "./window-task"

export interface BacktestRequest {
  /** The account whose tweets the knowledge holds. */
  readonly account: string
  readonly knowledge: Knowledge
  readonly watermark: bigint
  readonly models: ReadonlyArray<ModelKind>
  readonly origins: ReadonlyArray<number>
  /** Weeks before the first origin evaluated for calibration and the ensemble only (default 0: none). */
  readonly burnInWeeks?: number
  readonly trainWindow: TrainWindow
  readonly protocol: string
  readonly dataEnd: number
  readonly paths: number
  readonly seed: number
  readonly workers: number
}

/** One scored window of any forecaster, as recorded. */
export interface ScoredWindow {
  readonly forecaster: Forecaster
  readonly origin: number
  readonly metrics: DerivedWindow["metrics"]
  readonly nowcasts: DerivedWindow["nowcasts"]
  readonly fitSeconds: number
}

export interface BacktestOutcome {
  readonly backtestId: string
  readonly summaries: ReadonlyArray<ModelBacktestSummary>
  /** Per forecaster, its scored windows in origin order. */
  readonly perForecaster: ReadonlyMap<Forecaster, ReadonlyArray<ScoredWindow>>
}

const TASK_MODULE = siblingModule(import.meta.url, "window-task")

const median = (xs: ReadonlyArray<number>): number => {
  if (xs.length === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** The `n` Mondays before `first`, oldest first. */
export const burnInOrigins = (first: number, n: number): number[] => Array.from({ length: n }, (_, i) => first - (n - i) * WEEK_MS)

export const runBacktest = (req: BacktestRequest) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const burnIn = req.origins.length === 0 ? [] : burnInOrigins(Math.min(...req.origins), req.burnInWeeks ?? 0)
    const plan = planBacktest({ ...req, burnInOrigins: burnIn })
    const scoredPlanned = plan.windows.filter((w) => !w.burnIn)
    if (scoredPlanned.length === 0) {
      const why = plan.skipped.find((s) => !s.burnIn)?.reason ?? "no origins"
      return yield* Effect.fail(new Error(`nothing to backtest: ${why}`))
    }
    const backtestId = randomUUID()
    const context = { codeVersion: codeVersion(), correlationId: backtestId }
    const usedOrigins = [...new Set(scoredPlanned.map((w) => w.origin))].sort((a, b) => a - b)
    const usedBurnIn = [...new Set(plan.windows.filter((w) => w.burnIn).map((w) => w.origin))].sort((a, b) => a - b)
    const started = BacktestStarted.toAppend(
      {
        backtestId,
        account: req.account,
        models: [...req.models],
        origins: usedOrigins.map(toIsoUtc),
        trainWindow: formatTrainWindow(req.trainWindow),
        protocol: req.protocol,
        paths: req.paths,
        seed: req.seed,
        watermark: req.watermark.toString(),
        ...(usedBurnIn.length > 0 && { burnInOrigins: usedBurnIn.map(toIsoUtc) })
      },
      context
    )
    yield* store.append(started.stream, [started.event], ExpectedRevision.noStream)
    yield* Effect.logDebug(`backtest ${backtestId}: ${plan.windows.length} windows (${scoredPlanned.length} scored) on ${req.workers} worker(s)`)

    const tasks = plan.windows.map((w) => ({ module: TASK_MODULE, fn: "runWindowTask", arg: w satisfies WindowTask }))
    // A bar with done/total and ETA on a terminal, a line per 10% otherwise (stderr: stdout stays the table).
    const progress = yield* progressReporter(`backtest windows (${req.models.length} models x ${usedOrigins.length + usedBurnIn.length} origins)`, plan.windows.length)
    const results = yield* Effect.tryPromise({
      try: () => runPool<WindowTask, WindowResult>(tasks, req.workers, (done) => progress.update(done)),
      catch: (e) => new Error(`backtest worker failed: ${e instanceof Error ? e.message : String(e)}`)
    }).pipe(Effect.ensuring(Effect.sync(() => progress.stop())))

    // Model windows (burn-in included) feed calibration and the ensemble; only scored ones are recorded.
    const byModel = new Map<ModelKind, Array<ModelWindow & { readonly fitSeconds: number }>>(req.models.map((m) => [m, []]))
    const failures = new Map<ModelKind, Array<{ origin: string; reason: string }>>(req.models.map((m) => [m, []]))
    const fitSeconds = new Map<string, number>()
    results.forEach((r, i) => {
      const burnInWindow = plan.windows[i]!.burnIn
      if (r.ok) {
        byModel.get(r.kind)!.push({ ...r, burnIn: burnInWindow })
        fitSeconds.set(`${r.kind}:${r.origin}`, r.fitSeconds)
      } else if (!burnInWindow) failures.get(r.kind)!.push({ origin: toIsoUtc(r.origin), reason: r.reason })
    })
    for (const s of plan.skipped) if (!s.burnIn) failures.get(s.kind)!.push({ origin: toIsoUtc(s.origin), reason: s.reason })
    const actuals = new Map(plan.windows.map((w) => [w.origin, w.actual]))

    const scored: ScoredWindow[] = []
    for (const [kind, windows] of byModel)
      for (const w of windows)
        if (!w.burnIn) scored.push({ forecaster: kind, origin: w.origin, metrics: w.metrics, nowcasts: w.nowcasts, fitSeconds: w.fitSeconds })
    const derived: DerivedWindow[] = []
    for (const windows of byModel.values()) derived.push(...calibratedWindows(windows, actuals, req.seed))
    const fitted = new Map([...byModel].filter(([, ws]) => ws.length > 0))
    derived.push(...ensembleWindows(fitted, actuals, req.seed))
    for (const d of derived) scored.push({ forecaster: d.forecaster, origin: d.origin, metrics: d.metrics, nowcasts: d.nowcasts, fitSeconds: 0 })

    const forecastOf = new Map<string, DerivedWindow["forecast"]>()
    for (const windows of byModel.values()) for (const w of windows) forecastOf.set(`${w.kind}:${w.origin}`, w.forecast)
    for (const d of derived) forecastOf.set(`${d.forecaster}:${d.origin}`, d.forecast)
    const weightsOf = new Map(derived.filter((d) => d.weights !== undefined).map((d) => [d.origin, d.weights!]))
    const windowEvents = scored.map((w) =>
      BacktestWindowEvaluated.encode(
        {
          backtestId,
          model: w.forecaster,
          origin: toIsoUtc(w.origin),
          metrics: w.metrics,
          forecast: forecastOf.get(`${w.forecaster}:${w.origin}`)!,
          fitSeconds: w.fitSeconds,
          nowcasts: [...w.nowcasts],
          ...(w.forecaster === "ensemble" && weightsOf.has(w.origin) && { weights: weightsOf.get(w.origin)! })
        },
        context,
        { naturalKey: `backtest-window:${backtestId}:${w.forecaster}:${w.origin}` }
      )
    )

    const perForecaster = new Map<Forecaster, ScoredWindow[]>()
    for (const w of scored) perForecaster.set(w.forecaster, [...(perForecaster.get(w.forecaster) ?? []), w])
    for (const ws of perForecaster.values()) ws.sort((a, b) => a.origin - b.origin)
    const summaries: ModelBacktestSummary[] = []
    for (const [forecaster, ws] of perForecaster) {
      const base = (forecaster === "ensemble" ? undefined : forecaster.replace(/\+cal$/, "")) as ModelKind | undefined
      const fails = base !== undefined ? failures.get(base) : undefined
      // A derived forecaster costs its members' fits: fit_s is theirs (the ensemble's, the slowest member's).
      const fitS =
        forecaster === "ensemble"
          ? Math.max(...[...fitted.keys()].map((k) => median((byModel.get(k) ?? []).filter((w) => !w.burnIn).map((w) => w.fitSeconds))))
          : median(ws.map((w) => fitSeconds.get(`${base}:${w.origin}`) ?? 0))
      summaries.push(
        modelBacktestSummary(
          forecaster,
          averageOverOrigins(ws.map((w) => w.metrics)),
          fitS,
          fails,
          averageNowcasts(ws.map((w) => w.nowcasts))
        )
      )
    }
    for (const m of req.models) for (const f of failures.get(m)!) yield* Effect.logWarning(`${m} at ${f.origin}: ${f.reason}`)
    const completed = BacktestCompleted.encode({ backtestId, summary: summaries }, context)
    // Window events and the completion go in one append: a backtest is recorded whole or not at all.
    yield* store.append(started.stream, [...windowEvents, completed], ExpectedRevision.exact(0))
    return { backtestId, summaries, perForecaster } satisfies BacktestOutcome
  })
