/**
 * Hawkes model vocabulary: the spec a caller chooses, the natural parameters, and the JSON-safe
 * fitted record stored in `ModelFitted` events. Time is in hours throughout the model.
 */
import type { FittedModel } from "../model"

/**
 * Baseline μ(t):
 * - `constant`: one level μ.
 * - `hour_of_day`: 24 levels μ_h, h = UTC hour of t (μ[0] is 00:00–01:00 UTC).
 * - `hour_of_day_day_of_week`: μ_h · w_d with d = UTC day of week (Monday = 0) and w_0 = 1
 *   (Monday is the reference day: identifiable, 24 + 6 free parameters).
 */
export type HawkesBaseline = "constant" | "hour_of_day" | "hour_of_day_day_of_week"

export interface HawkesSpec {
  readonly baseline: HawkesBaseline
  /**
   * Multiply μ(t) by exp(γ·x(t)), x = the hourly exogenous intensity in [0,1] of `ModelInputs.exogenous`.
   * Off by default; when on, the fit needs some hour with x > 0 in the window, else γ is not identified.
   */
  readonly exogenous?: boolean
  /** Fit on the last `windowHours` hours before the origin only (default: the whole hourly window). */
  readonly windowHours?: number
  /** Starting decay rates β0 (1/h), one optimiser run each (default 0.3, 3, 30 as the reference). */
  readonly betaStarts?: ReadonlyArray<number>
  /** Starting branching ratio for every start (default 0.5). */
  readonly alphaStart?: number
  /** L-BFGS iteration cap per start (default 1000). */
  readonly maxIterations?: number
}

export const DEFAULT_BETA_STARTS: ReadonlyArray<number> = [0.3, 3, 30]
export const DEFAULT_ALPHA_START = 0.5

/** Natural parameters. `dayOfWeek` has 7 factors with dayOfWeek[0] = 1 (Monday) or is absent. */
export interface HawkesParams {
  readonly mu: ReadonlyArray<number>
  readonly dayOfWeek?: ReadonlyArray<number>
  readonly alpha: number
  readonly beta: number
  /** Exogenous log-multiplier γ (0 when the exogenous term is off). */
  readonly gamma: number
}

/** Parameters as stored: natural parameters plus what is needed to use them again. */
export interface HawkesFittedParams extends Record<string, unknown> {
  readonly baseline: HawkesBaseline
  readonly exogenous: boolean
  readonly mu: number[]
  readonly dayOfWeek: number[] | null
  readonly alpha: number
  readonly beta: number
  readonly gamma: number
  /** Epoch ms of the fit window [windowStart, windowEnd). */
  readonly windowStart: number
  readonly windowEnd: number
}

export interface HawkesFitted extends FittedModel {
  readonly kind: "hawkes"
  readonly params: HawkesFittedParams
  readonly diagnostics: HawkesDiagnostics
}

export interface HawkesStartDiagnostics {
  readonly beta0: number
  readonly alpha0: number
  readonly logLik: number
  readonly alpha: number
  readonly beta: number
  readonly iterations: number
  readonly evaluations: number
  /** max |∂(−ll/N)/∂θ| where this start's L-BFGS run stopped. */
  readonly gradNorm: number
  readonly converged: boolean
  readonly reason: string
}

export interface HawkesStandardErrors {
  readonly mu: number[]
  readonly dayOfWeek: number[] | null
  readonly alpha: number
  readonly beta: number
  readonly gamma: number | null
  readonly halfLifeHours: number
}

export interface HawkesDiagnostics extends Record<string, unknown> {
  readonly logLik: number
  readonly nEvents: number
  readonly windowHours: number
  readonly nParams: number
  readonly aic: number
  readonly bic: number
  readonly starts: HawkesStartDiagnostics[]
  /** Index in `starts` of the run that was polished and kept. */
  readonly bestStart: number
  /** Largest |log-likelihood| gap between the best start and the others (before polishing). */
  readonly startsLogLikSpread: number
  readonly newtonSteps: number
  /** Euclidean norm of ∂ll/∂p over natural parameters at the returned point. */
  readonly gradNorm: number
  readonly converged: boolean
  readonly reason: string
  /** Expected direct offspring per event (= α). */
  readonly branchingRatio: number
  /** Hours for the excitation kernel to halve: ln 2 / β. */
  readonly halfLifeHours: number
  /** null when the observed information is not positive definite (reason in `standardErrorsNote`). */
  readonly standardErrors: HawkesStandardErrors | null
  readonly standardErrorsNote: string | null
  readonly timeRescaling: { readonly n: number; readonly ksStatistic: number; readonly ksPValue: number; readonly meanResidual: number }
  readonly tiedPairs: number
}
