/**
 * The pieces of a forecast that issuing and reproducing share: which inputs a fitted model is run on,
 * the per-member seeds, the fingerprint of the inputs, and the ensemble weights fitted on backtest windows.
 */
import type { EnsembleFit, ForecastMember } from "../events/forecast"
import type { ModelFittedData } from "../events/model"
import { deriveSeed } from "../backtest/seed"
import { fitLinearPool, poolTerms, pruneWeights } from "./ensemble"
import { selectPoolData, type BacktestWindowAtoms } from "./ensemble-windows"
import { hashInputs, hashJson } from "./hash"
import type { CountWindow } from "./horizon"
import type { ForecastPlan } from "./plan"
import type { MemberRun } from "./run"
import { modelInputsAsOf, type Knowledge } from "../features/asof"
import type { FittedModel, ModelInputs, ModelKind } from "../models/model"
import { HOUR_MS, parseInstant, toIsoUtc } from "../time"

/** Ensemble members whose fitted weight is below this are dropped (see pruneWeights). */
export const MIN_ENSEMBLE_WEIGHT = 0.01

/** A member's simulation seed: derived from the forecast's seed and the model kind. */
export const memberSeed = (seed: number, kind: ModelKind): number => deriveSeed(seed, "forecast", kind)
/** Seed of the pool's choice of member per path. */
export const poolSeed = (seed: number): number => deriveSeed(seed, "pool")

/**
 * Hours of as-of inputs a fit is run on at a later origin: as many as it was fitted on (training window
 * plus lag warm-up), now ending at the forecast origin.
 */
export const fitInputHours = (fit: Pick<ModelFittedData, "trainStart" | "trainEnd" | "warmupHours">): number =>
  (parseInstant(fit.trainEnd)! - parseInstant(fit.trainStart)!) / HOUR_MS + fit.warmupHours

export const fittedModelOf = (fit: ModelFittedData): FittedModel => ({ kind: fit.kind, params: fit.params, diagnostics: fit.diagnostics })

export const memberInputs = (knowledge: Knowledge, fit: ModelFittedData, plan: ForecastPlan): ModelInputs =>
  modelInputsAsOf(knowledge, plan.origin, { windowHours: fitInputHours(fit), horizonHours: plan.simulateHours })

export const describeInputs = (inputs: ModelInputs): ForecastMember["inputs"] => {
  let exogenousHours = 0
  for (const x of inputs.exogenous ?? []) if (x !== 0) exogenousHours++
  return {
    start: toIsoUtc(inputs.hourly.start),
    hours: inputs.hourly.counts.length,
    tweets: inputs.eventTimes.length,
    exogenousHours,
    hash: hashInputs(inputs)
  }
}

export interface PreparedMember {
  readonly run: MemberRun
  readonly record: Omit<ForecastMember, "paths">
}

export const prepareMember = (
  knowledge: Knowledge,
  plan: ForecastPlan,
  fit: ModelFittedData,
  weight: number,
  seed: number,
  refitted: boolean
): PreparedMember => {
  const inputs = memberInputs(knowledge, fit, plan)
  const s = memberSeed(seed, fit.kind)
  return {
    run: { kind: fit.kind, fitted: fittedModelOf(fit), inputs, seed: s, weight },
    record: { kind: fit.kind, modelId: fit.modelId, weight, seed: s, refitted, specHash: hashJson(fit.spec), inputs: describeInputs(inputs) }
  }
}

export interface EnsembleWeights {
  readonly fit: EnsembleFit
  /** Members with a weight >= MIN_ENSEMBLE_WEIGHT, renormalised, in candidate order. */
  readonly members: ReadonlyArray<{ readonly kind: ModelKind; readonly weight: number }>
}

/** The CRPS-optimal linear pool over a backtest's windows (src/domain/forecast/ensemble.ts). */
export const ensembleWeights = (backtestId: string, rows: ReadonlyArray<BacktestWindowAtoms>): EnsembleWeights | string => {
  const data = selectPoolData(rows)
  if (typeof data === "string") return data
  const pool = fitLinearPool(poolTerms(data.windows, data.candidates.length))
  const used = pruneWeights(pool.weights, MIN_ENSEMBLE_WEIGHT)
  return {
    fit: {
      backtestId,
      origins: data.origins.map(toIsoUtc),
      candidates: [...data.candidates],
      fittedWeights: [...pool.weights],
      minWeight: MIN_ENSEMBLE_WEIGHT,
      meanCrps: pool.meanCrps,
      candidateCrps: [...pool.memberCrps]
    },
    members: data.candidates.flatMap((kind, i) => (used[i]! > 0 ? [{ kind, weight: used[i]! }] : []))
  }
}

/** A recorded {start, end} of canonical UTC instants as epoch ms. */
export const parseWindowIso = (w: { readonly start: string; readonly end: string }): CountWindow => ({ start: parseInstant(w.start)!, end: parseInstant(w.end)! })
