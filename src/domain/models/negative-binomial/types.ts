/** The NB2 model's spec and its JSON-serialisable fit result (stored verbatim in `ModelFitted`). */
import type { FittedModel } from "../model"
import type { IrlsWeights } from "./irls"

export interface NbSpec {
  /**
   * Hours modelled: the last `trainHours` hours before the origin (default: every hour of the window after
   * the 168 h warm-up). The 168 hours before the first modelled hour must be in the window (warm-up).
   */
  readonly trainHours?: number
  /** Append the exo_intensity column when ModelInputs.exogenous is given (default true). */
  readonly exogenous?: boolean
  /** Ridge penalty λ on every coefficient but the intercept (default 0). */
  readonly ridge?: number
  /** Fix the dispersion instead of estimating it (0 = Poisson GLM). */
  readonly alpha?: number
  /** Forecast paths draw β from N(β̂, Cov(β̂)) (default false; experimental, see the model doc). */
  readonly parameterUncertainty?: boolean
  /** Relative log-likelihood change that ends the fit (default 1e-10). */
  readonly tol?: number
  readonly maxIterations?: number
  readonly irlsWeights?: IrlsWeights
}

export interface NbParams {
  readonly columns: ReadonlyArray<string>
  /** Aligned with `columns`; 0 for a dropped column. */
  readonly beta: ReadonlyArray<number>
  readonly alpha: number
  /** Cov(β̂) row-major over `columns` (zero rows/columns for dropped ones); null when unavailable. */
  readonly covBeta: ReadonlyArray<number> | null
  readonly parameterUncertainty: boolean
  readonly warmupHours: number
}

export interface NbDiagnostics {
  readonly coefficients: Record<string, { readonly estimate: number; readonly se: number | null }>
  readonly seAlpha: number | null
  readonly alphaEstimated: boolean
  readonly llf: number
  readonly llfNull: number | null
  readonly deviance: number
  readonly pearsonChi2: number
  readonly aic: number
  readonly bic: number
  readonly nobs: number
  readonly k: number
  readonly iterations: number
  readonly converged: boolean
  readonly reason: string
  readonly maxAbsScore: number
  readonly dropped: ReadonlyArray<{ readonly name: string; readonly reason: string }>
  readonly separated: ReadonlyArray<string>
  readonly warnings: ReadonlyArray<string>
  /** First and last modelled hours (ISO UTC). */
  readonly trainingStart: string
  readonly trainingEnd: string
}

export interface NbFitted extends FittedModel {
  readonly kind: "negative_binomial"
  readonly params: NbParams & Record<string, unknown>
  readonly diagnostics: NbDiagnostics & Record<string, unknown>
}
