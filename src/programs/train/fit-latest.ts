/**
 * Fits each chosen model on the latest training window and records a `ModelFitted` per model.
 * The fit origin is the end of the last complete UTC hour of data (`latestFitOrigin` in src/domain/backtest/origins.ts).
 */
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { codeVersion } from "../../adapters/code-version"
import { siblingModule } from "../../adapters/workers/module-url"
import { runPool } from "../../adapters/workers/pool"
import { trainHoursAt, formatTrainWindow, type TrainWindow } from "../../domain/backtest/train-window"
import { ExpectedRevision } from "../../domain/events/envelope"
import { ModelFitted, type ModelFittedData } from "../../domain/events/model"
import { modelInputsAsOf, recordHoursBefore, type Knowledge } from "../../domain/features/asof"
import type { ModelKind } from "../../domain/models/model"
import { inputWindowHours, MODEL_REGISTRY } from "../../domain/models/registry"
import { EventStore } from "../../domain/ports/event-store"
import { HOUR_MS, toIsoUtc } from "../../domain/time"
import type { CountKind } from "../knowledge"
import type { FitResult, FitTask } from "./fit-task"

const TASK_MODULE = siblingModule(import.meta.url, "fit-task")

export interface FitLatestRequest {
  /** The account whose tweets the knowledge holds. */
  readonly account: string
  readonly knowledge: Knowledge
  readonly watermark: bigint
  readonly models: ReadonlyArray<ModelKind>
  readonly trainWindow: TrainWindow
  readonly origin: number
  readonly countKinds: ReadonlyArray<CountKind>
  readonly workers: number
  readonly backtestId?: string
}

export const fitLatest = (req: FitLatestRequest) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const trainHours = trainHoursAt(req.trainWindow, req.origin, req.knowledge.regimes ?? [])
    const tasks: Array<{ module: string; fn: string; arg: FitTask }> = []
    const recordHours = recordHoursBefore(req.knowledge, req.origin)
    const windows = new Map<ModelKind, number>()
    for (const kind of req.models) {
      const entry = MODEL_REGISTRY[kind]
      const windowHours = inputWindowHours(entry, trainHours, recordHours)
      windows.set(kind, windowHours)
      const inputs = yield* Effect.try({
        try: () => modelInputsAsOf(req.knowledge, req.origin, { windowHours }),
        catch: (e) => new Error(`cannot fit ${kind} at ${toIsoUtc(req.origin)}: ${e instanceof Error ? e.message : String(e)}`)
      })
      tasks.push({ module: TASK_MODULE, fn: "runFitTask", arg: { kind, spec: entry.specFor(trainHours), inputs } })
    }
    const results = yield* Effect.tryPromise({
      try: () => runPool<FitTask, FitResult>(tasks, req.workers),
      catch: (e) => new Error(`fit worker failed: ${e instanceof Error ? e.message : String(e)}`)
    })
    const context = { codeVersion: codeVersion(), ...(req.backtestId !== undefined && { correlationId: req.backtestId }) }
    const fitted: ModelFittedData[] = []
    for (const [i, r] of results.entries()) {
      if (!r.ok) {
        yield* Effect.logWarning(`${r.kind}: fit on the latest window failed: ${r.reason}`)
        continue
      }
      const entry = MODEL_REGISTRY[r.kind]
      const data: ModelFittedData = {
        modelId: randomUUID(),
        account: req.account,
        kind: r.kind,
        spec: tasks[i]!.arg.spec,
        trainStart: toIsoUtc(req.origin - (windows.get(r.kind)! - entry.warmupHours) * HOUR_MS),
        trainEnd: toIsoUtc(req.origin),
        warmupHours: entry.warmupHours,
        trainWindow: formatTrainWindow(req.trainWindow),
        watermark: req.watermark.toString(),
        countKinds: [...req.countKinds] as ModelFittedData["countKinds"],
        params: r.fitted.params,
        diagnostics: r.fitted.diagnostics,
        ...(req.backtestId !== undefined && { backtestId: req.backtestId }),
        fitSeconds: r.fitSeconds
      }
      const { stream, event } = ModelFitted.toAppend(data, context)
      yield* store.append(stream, [event], ExpectedRevision.noStream)
      fitted.push(data)
    }
    return fitted
  })
