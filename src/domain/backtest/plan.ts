/**
 * Builds the backtest's windows from replayed knowledge: for every (model, origin), the model's as-of
 * inputs (training window plus its lag warm-up), the actual hourly counts of the protocol's week, and a
 * seed derived from (run seed, model, origin). Pure: the same knowledge gives the same plan.
 */
import { modelInputsAsOf, type Knowledge } from "../features/asof"
import type { ModelInputs, ModelKind } from "../models/model"
import { MODEL_REGISTRY } from "../models/registry"
import { bucketHourly, HOUR_MS, toIsoUtc } from "../time"
import { deriveSeed } from "./seed"
import { trainHoursAt, type TrainWindow } from "./train-window"

export const PROTOCOL_WEEK_HOURS = 168

export interface PlannedWindow {
  readonly kind: ModelKind
  readonly origin: number
  readonly spec: Record<string, unknown>
  readonly inputs: ModelInputs
  readonly actual: Float64Array
  readonly trainHours: number
  readonly paths: number
  readonly seed: number
}

export interface SkippedWindow {
  readonly kind: ModelKind
  readonly origin: number
  readonly reason: string
}

export interface BacktestPlan {
  readonly windows: ReadonlyArray<PlannedWindow>
  readonly skipped: ReadonlyArray<SkippedWindow>
}

export const planBacktest = (args: {
  readonly knowledge: Knowledge
  readonly models: ReadonlyArray<ModelKind>
  readonly origins: ReadonlyArray<number>
  readonly trainWindow: TrainWindow
  /** Exclusive end of the observed record: actual weeks must end by then. */
  readonly dataEnd: number
  readonly paths: number
  readonly seed: number
}): BacktestPlan => {
  const windows: PlannedWindow[] = []
  const skipped: SkippedWindow[] = []
  for (const origin of args.origins) {
    const weekEnd = origin + PROTOCOL_WEEK_HOURS * HOUR_MS
    if (weekEnd > args.dataEnd) {
      for (const kind of args.models)
        skipped.push({ kind, origin, reason: `the week after ${toIsoUtc(origin)} is not fully observed (data end ${toIsoUtc(args.dataEnd)})` })
      continue
    }
    const trainHours = trainHoursAt(args.trainWindow, origin, args.knowledge.regimes ?? [])
    // Actuals: what happened in the week, from the full record (never shown to the model).
    const actual = bucketHourly(args.knowledge.tweetTimes, origin, PROTOCOL_WEEK_HOURS)
    for (const kind of args.models) {
      const entry = MODEL_REGISTRY[kind]
      try {
        const inputs = modelInputsAsOf(args.knowledge, origin, { windowHours: trainHours + entry.warmupHours, horizonHours: PROTOCOL_WEEK_HOURS })
        windows.push({
          kind,
          origin,
          spec: entry.specFor(trainHours),
          inputs,
          actual,
          trainHours,
          paths: args.paths,
          seed: deriveSeed(args.seed, kind, origin)
        })
      } catch (e) {
        skipped.push({ kind, origin, reason: e instanceof Error ? e.message : String(e) })
      }
    }
  }
  return { windows, skipped }
}
