/** SARIMAX specification, its defaults, and the JSON shape of a fitted model. */
import type { FittedModel } from "../model"
import type { SarimaxOrder } from "./state-space"

export type SarimaxTrend = "n" | "c" | "t" | "ct"
/** Variance-stabilising transform of the hourly counts: the model is Gaussian on this scale. */
export type CountTransform = "log1p" | "sqrt" | "none"

export interface SarimaxSpec {
  /** (p, d, q). */
  readonly order: readonly [number, number, number]
  /** (P, D, Q, s). */
  readonly seasonalOrder: readonly [number, number, number, number]
  readonly trend: SarimaxTrend
  readonly transform: CountTransform
  /** Weekly Fourier harmonics K: regressors sin/cos(2πk·h/168), k = 1..K, h = hour of week (0 = Monday 00:00 UTC). */
  readonly fourierHarmonics: number
  /** Add ModelInputs.exogenous (curated event intensity, 0..1) as a regressor. */
  readonly useExogenous: boolean
  /** Training window: the last `windowHours` hours before the origin (fewer if fewer are given). */
  readonly windowHours: number
  /** L-BFGS iteration cap and gradient tolerance (max |∂(−ℓ)/∂x| ≤ gradTol·max(1, |ℓ|)). */
  readonly maxIterations: number
  readonly gradTol: number
}

/** The reference configuration: SARIMAX(1,0,1)(1,0,1,24), trend 'c', log1p, 2 weekly harmonics, 8 weeks. */
export const defaultSarimaxSpec: SarimaxSpec = {
  order: [1, 0, 1],
  seasonalOrder: [1, 0, 1, 24],
  trend: "c",
  transform: "log1p",
  fourierHarmonics: 2,
  useExogenous: false,
  windowHours: 1344,
  maxIterations: 200,
  gradTol: 1e-8
}

export const orderOf = (spec: SarimaxSpec): SarimaxOrder => {
  const [p, d, q] = spec.order
  const [P, D, Q, s] = spec.seasonalOrder
  return { p, d, q, P, D, Q, s }
}

/** Throws RangeError on a malformed spec. */
export const validateSpec = (spec: SarimaxSpec): void => {
  const ints = [...spec.order, ...spec.seasonalOrder.slice(0, 3)]
  if (!ints.every((v) => Number.isInteger(v) && v >= 0 && v <= 60)) throw new RangeError("SARIMAX orders must be integers in 0..60")
  const [P, D, Q, s] = spec.seasonalOrder
  if (!Number.isInteger(s) || s < 0 || s > 400) throw new RangeError("seasonal period s must be an integer in 0..400")
  if (s <= 1 && P + D + Q > 0) throw new RangeError("seasonal terms need a seasonal period s >= 2")
  if (s > 1 && spec.order[0] >= s && P > 0) throw new RangeError("non-seasonal AR order must be below s when P > 0")
  if (s > 1 && spec.order[2] >= s && Q > 0) throw new RangeError("non-seasonal MA order must be below s when Q > 0")
  if (!["n", "c", "t", "ct"].includes(spec.trend)) throw new RangeError(`unknown trend ${spec.trend}`)
  if (!["log1p", "sqrt", "none"].includes(spec.transform)) throw new RangeError(`unknown transform ${spec.transform}`)
  if (!Number.isInteger(spec.fourierHarmonics) || spec.fourierHarmonics < 0 || spec.fourierHarmonics > 83)
    throw new RangeError("fourierHarmonics must be an integer in 0..83")
  if (!Number.isInteger(spec.windowHours) || spec.windowHours < 2) throw new RangeError("windowHours must be an integer >= 2")
}

/** Natural-parameter names in statsmodels' order (exog columns by their names). */
export const parameterNames = (spec: SarimaxSpec, exogNames: ReadonlyArray<string>): string[] => {
  const o = orderOf(spec)
  const names: string[] = []
  if (spec.trend === "c" || spec.trend === "ct") names.push("intercept")
  if (spec.trend === "t" || spec.trend === "ct") names.push("drift")
  names.push(...exogNames)
  for (let i = 1; i <= o.p; i++) names.push(`ar.L${i}`)
  for (let i = 1; i <= o.q; i++) names.push(`ma.L${i}`)
  for (let i = 1; i <= o.P; i++) names.push(`ar.S.L${i * o.s}`)
  for (let i = 1; i <= o.Q; i++) names.push(`ma.S.L${i * o.s}`)
  names.push("sigma2")
  return names
}

export interface LjungBox {
  readonly lags: number
  readonly df: number
  readonly statistic: number
  readonly pValue: number
}

export interface SarimaxFitted extends FittedModel {
  readonly kind: "sarimax"
  readonly params: {
    readonly spec: SarimaxSpec
    /** Names and values of the natural parameters, statsmodels' order. */
    readonly names: ReadonlyArray<string>
    readonly values: ReadonlyArray<number>
    /** Regressor columns, in order (e.g. fourier_sin1, fourier_cos1, …, exogenous). */
    readonly exogNames: ReadonlyArray<string>
    /** Epoch ms of the hour at which the drift's time index is 1 (the first training hour). */
    readonly trendAnchor: number
    /** First training hour (epoch ms) and number of training hours. */
    readonly windowStart: number
    readonly nobs: number
  }
  readonly diagnostics: {
    readonly loglik: number
    readonly aic: number
    readonly bic: number
    readonly nobs: number
    readonly nDiffuse: number
    readonly kParams: number
    readonly converged: boolean
    readonly reason: string
    readonly iterations: number
    readonly restarts: number
    readonly evaluations: number
    /** Max |∂ℓ/∂x| over the optimiser's (unconstrained ARMA) coordinates at the optimum. */
    readonly gradNorm: number
    /** An AR/MA root within 0.1% of the unit circle (partial autocorrelation |r| > 0.999). */
    readonly nearBoundary: boolean
    /** Standard errors from the numerical Hessian of ℓ in natural parameters (null if not PD). */
    readonly standardErrors: ReadonlyArray<number | null>
    readonly startingValues: ReadonlyArray<number>
    readonly ljungBox: ReadonlyArray<LjungBox>
    readonly droppedRegressors: ReadonlyArray<string>
  }
}
