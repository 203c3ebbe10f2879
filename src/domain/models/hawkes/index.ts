/**
 * Hawkes process with exponential kernel and hourly periodic baseline, as a `CountModel`:
 * fit = MLE on the exact event times before the origin; forecast = Ogata thinning from the origin,
 * conditioned on the excitation left by the history, aggregated to hourly counts.
 * docs/models/hawkes.md gives the math.
 */
import { Rng } from "../../random"
import { HOUR_MS } from "../../time"
import { ModelFitError, assertInputs, type CountModel, type ModelInputs, type SamplePaths } from "../model"
import { hourlyBaseline } from "./baseline"
import { hawkesDataFromEpochMs, type HawkesData } from "./data"
import { expectedHourlyCounts } from "./expected"
import { maximizeLikelihood, observedCovariance } from "./fit"
import { hawkesLayout, unpackParams } from "./params"
import { ksExponential, rescaledIntervals } from "./residuals"
import { excitationAt, simulateHourlyCounts } from "./simulate"
import type { HawkesDiagnostics, HawkesFitted, HawkesParams, HawkesSpec, HawkesStandardErrors } from "./types"

export * from "./types"
export { hawkesDataFromEpochMs, hawkesDataFromHours, type HawkesData } from "./data"
export { logLikelihood } from "./likelihood"
export { rescaledIntervals, ksExponential } from "./residuals"
export { excitationAt, simulateEventTimes, simulateHourlyCounts } from "./simulate"
export { expectedHourlyCounts } from "./expected"
export { hourlyBaseline } from "./baseline"

/** The fit window [start, origin) chosen by the spec, and the exogenous values over it. */
const fitWindow = (inputs: ModelInputs, spec: HawkesSpec) => {
  const start = spec.windowHours === undefined ? inputs.hourly.start : inputs.origin - spec.windowHours * HOUR_MS
  if (spec.windowHours !== undefined && (!Number.isInteger(spec.windowHours) || spec.windowHours <= 0))
    throw new RangeError(`windowHours must be a positive integer, got ${spec.windowHours}`)
  if (start < inputs.hourly.start) throw new RangeError("windowHours reaches before the start of the inputs")
  let exogenous: Float64Array | undefined
  if (spec.exogenous === true) {
    if (inputs.exogenous === undefined) throw new ModelFitError({ model: "hawkes", reason: "exogenous term requested but inputs carry no exogenous series" })
    const off = (start - inputs.hourly.start) / HOUR_MS
    const hours = (inputs.origin - start) / HOUR_MS
    exogenous = new Float64Array(hours)
    for (let k = 0; k < hours && off + k < inputs.exogenous.length; k++) exogenous[k] = inputs.exogenous[off + k]!
  }
  return { start, exogenous }
}

/** Fit on a prepared data set (the model's `fit` builds it from `ModelInputs`). */
export const fitHawkesData = (data: HawkesData, spec: HawkesSpec): HawkesFitted => {
  const exo = data.exogenous !== undefined
  if (exo !== (spec.exogenous === true))
    throw new RangeError(`spec.exogenous is ${spec.exogenous === true} but the data ${exo ? "carries" : "has no"} exogenous series`)
  if (data.baseline !== spec.baseline) throw new RangeError(`data built for the ${data.baseline} baseline, spec asks for ${spec.baseline}`)
  const layout = hawkesLayout(data.baseline, exo)
  const mle = maximizeLikelihood(data, layout, spec)
  const params = unpackParams(layout, mle.p)
  const n = layout.n
  const covOrReason = observedCovariance(mle.hessian, n)
  let standardErrors: HawkesStandardErrors | null = null
  let standardErrorsNote: string | null = null
  if ("cov" in covOrReason) {
    const se = (j: number) => Math.sqrt(covOrReason.cov[j * n + j]!)
    const nMu = params.mu.length
    standardErrors = {
      mu: Array.from({ length: nMu }, (_, j) => se(j)),
      dayOfWeek: params.dayOfWeek ? [0, ...Array.from({ length: 6 }, (_, d) => se(24 + d))] : null,
      alpha: se(layout.iAlpha),
      beta: se(layout.iBeta),
      gamma: exo ? se(layout.iGamma) : null,
      // Delta method: d(ln2/β)/dβ = −ln2/β².
      halfLifeHours: (Math.LN2 / (params.beta * params.beta)) * se(layout.iBeta)
    }
  } else standardErrorsNote = covOrReason.reason
  const mu = hourlyBaseline(data.baseline, params, data.windowStart, Math.ceil(data.T), data.exogenous ? exogenousOfWindow(data) : undefined)
  const tau = rescaledIntervals(data, mu, params.alpha, params.beta)
  const ks = ksExponential(tau)
  let tauSum = 0
  for (let i = 0; i < tau.length; i++) tauSum += tau[i]!
  const N = data.times.length
  const diagnostics: HawkesDiagnostics = {
    logLik: mle.logLik,
    nEvents: N,
    windowHours: data.T,
    nParams: n,
    aic: 2 * n - 2 * mle.logLik,
    bic: n * Math.log(N) - 2 * mle.logLik,
    starts: mle.starts,
    bestStart: mle.bestStart,
    startsLogLikSpread: mle.startsLogLikSpread,
    newtonSteps: mle.newtonSteps,
    gradNorm: Math.hypot(...mle.grad),
    converged: mle.converged,
    reason: mle.reason,
    branchingRatio: params.alpha,
    halfLifeHours: Math.LN2 / params.beta,
    standardErrors,
    standardErrorsNote,
    timeRescaling: { n: ks.n, ksStatistic: ks.statistic, ksPValue: ks.pValue, meanResidual: N > 0 ? tauSum / N : 0 },
    tiedPairs: data.tiedPairs
  }
  return {
    kind: "hawkes",
    params: {
      baseline: data.baseline,
      exogenous: exo,
      mu: [...params.mu],
      dayOfWeek: params.dayOfWeek ? [...params.dayOfWeek] : null,
      alpha: params.alpha,
      beta: params.beta,
      gamma: params.gamma,
      windowStart: data.windowStart,
      windowEnd: data.windowStart + data.T * HOUR_MS
    },
    diagnostics
  }
}

/** x per hour of the window. */
const exogenousOfWindow = (data: HawkesData): Float64Array => {
  return data.exogenous!.hourly
}

const paramsOf = (fitted: HawkesFitted): HawkesParams => ({
  mu: fitted.params.mu,
  ...(fitted.params.dayOfWeek ? { dayOfWeek: fitted.params.dayOfWeek } : {}),
  alpha: fitted.params.alpha,
  beta: fitted.params.beta,
  gamma: fitted.params.gamma
})

/** Baseline μ per hour of [origin, origin + horizon) and the history's excitation at the origin. */
const forecastSetup = (fitted: HawkesFitted, inputs: ModelInputs, horizonHours: number) => {
  assertInputs(inputs)
  if (!Number.isInteger(horizonHours) || horizonHours <= 0) throw new RangeError(`horizonHours must be a positive integer, got ${horizonHours}`)
  const params = paramsOf(fitted)
  const offset = (inputs.origin - inputs.hourly.start) / HOUR_MS
  const exo = fitted.params.exogenous ? inputs.exogenous : undefined
  const mu = hourlyBaseline(fitted.params.baseline, params, inputs.origin, horizonHours, exo, offset)
  const s0 = excitationAt(inputs.eventTimes, inputs.origin, params.beta)
  return { params, mu, s0 }
}

/** Exact expected hourly counts over [origin, origin + horizon) (intensity ODE, no simulation). */
export const hawkesExpectedCounts = (fitted: HawkesFitted, inputs: ModelInputs, horizonHours: number): Float64Array => {
  const { params, mu, s0 } = forecastSetup(fitted, inputs, horizonHours)
  return expectedHourlyCounts(mu, params.alpha, params.beta, s0)
}

export const hawkesModel: CountModel<HawkesSpec, HawkesFitted> = {
  kind: "hawkes",
  fit: (inputs, spec) => {
    assertInputs(inputs)
    const { start, exogenous } = fitWindow(inputs, spec)
    const data = hawkesDataFromEpochMs(spec.baseline, start, inputs.origin, inputs.eventTimes, exogenous)
    return fitHawkesData(data, spec)
  },
  forecast: (fitted, inputs, horizonHours, options): SamplePaths => {
    const { params, mu, s0 } = forecastSetup(fitted, inputs, horizonHours)
    if (!Number.isInteger(options.paths) || options.paths <= 0) throw new RangeError(`paths must be a positive integer, got ${options.paths}`)
    const values = simulateHourlyCounts(mu, params.alpha, params.beta, s0, options.paths, Rng.seeded(options.seed))
    return { origin: inputs.origin, hours: horizonHours, paths: options.paths, values }
  }
}
