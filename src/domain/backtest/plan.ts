/**
 * Builds the backtest's windows from replayed knowledge: for every (model, origin), the model's as-of
 * inputs at the origin and at each nowcast issue time (training window plus its lag warm-up, or the
 * model's own history rule), the actual hourly counts of the protocol's week, and a seed derived from
 * (run seed, model, origin). Burn-in origins (the weeks before the first scored origin) are evaluated
 * the same way so that calibration and the ensemble's weights have past errors to learn from; they are
 * not part of the scores. Pure: the same knowledge gives the same plan.
 */
import { modelInputsAsOf, recordHoursBefore, type Knowledge } from "../features/asof"
import type { ModelKind } from "../models/model"
import { inputWindowHours, MODEL_REGISTRY } from "../models/registry"
import { bucketHourly, DAY_MS, HOUR_MS, toIsoUtc } from "../time"
import { NOWCAST_DAYS, type WindowTask } from "./evaluate-window"
import { deriveSeed } from "./seed"
import { trainHoursAt, type TrainWindow } from "./train-window"

export const PROTOCOL_WEEK_HOURS = 168

export interface PlannedWindow extends WindowTask {
  readonly origin: number
  /** Evaluated for calibration and ensemble weights only, not scored. */
  readonly burnIn: boolean
}

export interface SkippedWindow {
  readonly kind: ModelKind
  readonly origin: number
  readonly reason: string
  readonly burnIn: boolean
}

export interface BacktestPlan {
  readonly windows: ReadonlyArray<PlannedWindow>
  readonly skipped: ReadonlyArray<SkippedWindow>
}

export const planBacktest = (args: {
  readonly knowledge: Knowledge
  readonly models: ReadonlyArray<ModelKind>
  readonly origins: ReadonlyArray<number>
  /** Origins before `origins`, evaluated for calibration and the ensemble only (default none). */
  readonly burnInOrigins?: ReadonlyArray<number>
  readonly trainWindow: TrainWindow
  /** Exclusive end of the observed record: actual weeks must end by then. */
  readonly dataEnd: number
  readonly paths: number
  readonly seed: number
}): BacktestPlan => {
  const windows: PlannedWindow[] = []
  const skipped: SkippedWindow[] = []
  const all = [...(args.burnInOrigins ?? []).map((o) => ({ origin: o, burnIn: true })), ...args.origins.map((o) => ({ origin: o, burnIn: false }))]
  for (const { origin, burnIn } of all) {
    const weekEnd = origin + PROTOCOL_WEEK_HOURS * HOUR_MS
    if (weekEnd > args.dataEnd) {
      for (const kind of args.models)
        skipped.push({ kind, origin, burnIn, reason: `the week after ${toIsoUtc(origin)} is not fully observed (data end ${toIsoUtc(args.dataEnd)})` })
      continue
    }
    const trainHours = trainHoursAt(args.trainWindow, origin, args.knowledge.regimes ?? [])
    // Actuals: what happened in the week, from the full record (never shown to the model).
    const actual = bucketHourly(args.knowledge.tweetTimes, origin, PROTOCOL_WEEK_HOURS)
    for (const kind of args.models) {
      const entry = MODEL_REGISTRY[kind]
      try {
        const windowHours = inputWindowHours(entry, trainHours, recordHoursBefore(args.knowledge, origin))
        const inputs = modelInputsAsOf(args.knowledge, origin, { windowHours, horizonHours: PROTOCOL_WEEK_HOURS })
        // Each nowcast sees the same length of history, ending at its own issue time.
        const nowcasts = NOWCAST_DAYS.map((atDays) => ({
          atDays,
          inputs: modelInputsAsOf(args.knowledge, origin + atDays * DAY_MS, { windowHours, horizonHours: PROTOCOL_WEEK_HOURS })
        }))
        windows.push({
          kind,
          origin,
          burnIn,
          spec: entry.specFor(trainHours),
          inputs,
          nowcasts,
          actual,
          trainHours,
          paths: args.paths,
          seed: deriveSeed(args.seed, kind, origin)
        })
      } catch (e) {
        skipped.push({ kind, origin, burnIn, reason: e instanceof Error ? e.message : String(e) })
      }
    }
  }
  return { windows, skipped }
}
