/**
 * Which fitted parameters a forecast uses, and when it refits first.
 *
 * The rule (docs/forecasting.md "Refit rule"): for model kind K at origin T, counting kinds C, take the
 * newest ModelFitted of K (highest log position) that counted exactly C and whose training window ended
 * at or before T (trainEnd <= T: a fit that saw hours after T would leak the future into the forecast).
 * Use it when T − trainEnd <= MAX_FIT_AGE_HOURS (24 h): the data have not moved past its training window
 * by more than a day. Otherwise (no such fit, or it is older) fit K at T first, on the training window
 * rule of K's newest fit (`8w` or `since-regime`; 8 weeks when K was never fitted), append that
 * ModelFitted, and use it. Every refit is said in the output and recorded in the event's notes.
 */
import { Effect, Stream } from "effect"
import { cpus } from "node:os"
import { DEFAULT_TRAIN_WEEKS, MAX_REGIME_WEEKS, parseTrainWindow, type TrainWindow } from "../../domain/backtest/train-window"
import { ModelFitted, modelStream, type ModelFittedData } from "../../domain/events/model"
import type { Knowledge } from "../../domain/features/asof"
import type { ModelKind } from "../../domain/models/model"
import { MODEL_REGISTRY } from "../../domain/models/registry"
import { EventStore } from "../../domain/ports/event-store"
import { HOUR_MS, toIsoUtc } from "../../domain/time"
import { decodeCatalogEvent } from "../../domain/events/catalog"
import { listModels, type ModelRow } from "../../projections/queries/models"
import type { CountKind } from "../knowledge"
import { fitLatest } from "../train/fit-latest"

export const MAX_FIT_AGE_HOURS = 24

const sameKinds = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join()

export type FitDecision =
  | { readonly _tag: "Use"; readonly row: ModelRow }
  | { readonly _tag: "Refit"; readonly reason: string; readonly trainWindow: TrainWindow }

/** The refit rule, pure: `rows` are K's fits, newest first. */
export const decideFit = (kind: ModelKind, rows: ReadonlyArray<ModelRow>, countKinds: ReadonlyArray<CountKind>, origin: number): FitDecision => {
  const newest = rows[0]
  const parsed = newest === undefined ? undefined : parseTrainWindow(newest.trainWindow)
  const trainWindow: TrainWindow = parsed === undefined || typeof parsed === "string" ? { _tag: "Weeks", weeks: DEFAULT_TRAIN_WEEKS } : parsed
  const matching = rows.filter((r) => sameKinds(r.countKinds, countKinds))
  const candidate = matching.find((r) => r.trainEnd <= origin)
  if (candidate !== undefined && origin - candidate.trainEnd <= MAX_FIT_AGE_HOURS * HOUR_MS) return { _tag: "Use", row: candidate }
  let reason: string
  if (rows.length === 0) reason = `no ${kind} model has been fitted yet`
  else if (matching.length === 0) reason = `no ${kind} fit counts ${countKinds.join(", ")} (the newest counts ${newest!.countKinds.join(", ")})`
  else if (candidate === undefined)
    reason = `every ${kind} fit counting these kinds was trained past the origin ${toIsoUtc(origin)} (it would see the future)`
  else
    reason = `the newest ${kind} fit was trained up to ${toIsoUtc(candidate.trainEnd)}, ${Math.round((origin - candidate.trainEnd) / HOUR_MS)} h before the origin (more than ${MAX_FIT_AGE_HOURS} h)`
  return { _tag: "Refit", reason, trainWindow }
}

/** Hours of tweets a refit of K at any origin may need before the origin (training window + warm-up). */
export const refitLookbackHours = (kind: ModelKind, w: TrainWindow): number => {
  const entry = MODEL_REGISTRY[kind]
  return entry.history !== undefined ? entry.history.maxHours : (w._tag === "Weeks" ? w.weeks : MAX_REGIME_WEEKS) * 168 + entry.warmupHours
}

/** The ModelFitted event of `modelId`, read from the log (what reproduce reads too). */
export const readModelFitted = (modelId: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const events = yield* Stream.runCollect(store.readStream(modelStream(modelId)))
    for (const recorded of events) {
      const e = yield* decodeCatalogEvent(recorded)
      if (ModelFitted.is(e)) return e.data
    }
    return undefined
  })

export interface FitPlan {
  readonly kind: ModelKind
  readonly decision: FitDecision
}

export const planFits = (account: string, kinds: ReadonlyArray<ModelKind>, countKinds: ReadonlyArray<CountKind>, origin: number) =>
  Effect.forEach(kinds, (kind) => Effect.map(listModels({ account, kind }), (rows): FitPlan => ({ kind, decision: decideFit(kind, rows, countKinds, origin) })))

export interface ResolvedFit {
  readonly fit: ModelFittedData
  readonly refitted: boolean
  readonly note?: string
}

/** Loads the chosen fits from the log and runs the refits (appending their ModelFitted). */
export const resolveFits = (
  plans: ReadonlyArray<FitPlan>,
  ctx: {
    readonly account: string
    readonly knowledge: Knowledge
    readonly watermark: bigint
    readonly origin: number
    readonly countKinds: ReadonlyArray<CountKind>
    /** Hour of the first counted tweet: a training window may not start before it. */
    readonly firstHour: number
  }
) =>
  Effect.gen(function* () {
    const out = new Map<ModelKind, ResolvedFit>()
    for (const p of plans) {
      if (p.decision._tag !== "Use") continue
      const fit = yield* readModelFitted(p.decision.row.modelId)
      if (fit === undefined) return yield* Effect.fail(new Error(`model ${p.decision.row.modelId} is in the models read model but not in the log`))
      out.set(p.kind, { fit, refitted: false })
    }
    // One fitLatest call per training-window rule (the workers fit the models of a call in parallel).
    const refits = plans.filter((p): p is FitPlan & { decision: Extract<FitDecision, { _tag: "Refit" }> } => p.decision._tag === "Refit")
    const byWindow = new Map<string, typeof refits>()
    for (const p of refits) {
      const key = JSON.stringify(p.decision.trainWindow)
      byWindow.set(key, [...(byWindow.get(key) ?? []), p])
    }
    for (const p of refits) {
      const w = p.decision.trainWindow
      const start = ctx.origin - refitLookbackHours(p.kind, w) * HOUR_MS
      // Models with their own history rule take what the record holds (fitLatest checks their minimum).
      if (w._tag === "Weeks" && MODEL_REGISTRY[p.kind].history === undefined && start < ctx.firstHour)
        return yield* Effect.fail(
          new Error(
            `cannot fit ${p.kind} at ${toIsoUtc(ctx.origin)} (${p.decision.reason}): its ${w.weeks}-week training window` +
              `${MODEL_REGISTRY[p.kind].warmupHours > 0 ? ` and ${MODEL_REGISTRY[p.kind].warmupHours} h warm-up` : ""} would start at ${toIsoUtc(start)}, ` +
              `before the tweet record (${toIsoUtc(ctx.firstHour)}); fit it on a shorter window first: musktracker train --model ${p.kind} --train-window <weeks>w`
          )
        )
    }
    for (const group of byWindow.values()) {
      const models = group.map((p) => p.kind)
      const fitted = yield* fitLatest({
        account: ctx.account,
        knowledge: ctx.knowledge,
        watermark: ctx.watermark,
        models,
        trainWindow: group[0]!.decision.trainWindow,
        origin: ctx.origin,
        countKinds: ctx.countKinds,
        workers: Math.min(models.length, cpus().length)
      })
      for (const p of group) {
        const fit = fitted.find((f) => f.kind === p.kind)
        if (fit === undefined) return yield* Effect.fail(new Error(`${p.kind} could not be fitted at ${toIsoUtc(ctx.origin)} (${p.decision.reason}); see the warning above`))
        out.set(p.kind, {
          fit,
          refitted: true,
          note: `refitted ${p.kind} on ${fit.trainStart} .. ${fit.trainEnd} (model ${fit.modelId}): ${p.decision.reason}`
        })
      }
    }
    return out
  })
