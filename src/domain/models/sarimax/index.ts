/**
 * SARIMAX count model: Gaussian SARIMAX on transformed hourly counts (log1p by default), exact Kalman
 * likelihood, constrained MLE, Monte Carlo forecasts back-transformed path by path.
 * docs/models/sarimax.md gives the mathematics and the conventions.
 */
import { HOUR_MS } from "../../time"
import { Rng } from "../../random"
import { assertInputs, ModelFitError, type CountModel, type ModelInputs, type SamplePaths } from "../model"
import { armaCount, filterAt, stateSpaceAt } from "./arma-params"
import { backTransform, buildRegressors, filterData, transformCount, trendTerms, trendValue } from "./design"
import { combinedState, simulatePaths, type FutureTerms } from "./forecast"
import { fitMle } from "./mle"
import { defaultSarimaxSpec, orderOf, parameterNames, validateSpec, type SarimaxFitted, type SarimaxSpec } from "./spec"

export { defaultSarimaxSpec, type SarimaxFitted, type SarimaxSpec } from "./spec"

interface Prepared {
  readonly windowStart: number
  readonly y: Float64Array
  /** Regressors for the window and `horizon` more hours, (n + horizon) × kx, only the kept columns. */
  readonly regressors: Float64Array
  readonly names: string[]
  readonly kx: number
}

/** Window, transformed counts and regressors (selected by name when `keep` is given). */
const prepare = (inputs: ModelInputs, spec: SarimaxSpec, horizon: number, keep?: ReadonlyArray<string>): Prepared => {
  const all = inputs.hourly.counts
  const n = Math.min(spec.windowHours, all.length)
  const offset = all.length - n
  const windowStart = inputs.hourly.start + offset * HOUR_MS
  const y = new Float64Array(n)
  for (let t = 0; t < n; t++) {
    const c = all[offset + t]!
    if (!(c >= 0) || !Number.isFinite(c)) throw new ModelFitError({ model: "sarimax", reason: `count at hour ${offset + t} is not a finite non-negative number` })
    y[t] = transformCount(c, spec.transform)
  }
  // Without supplied intensities the exogenous column is all zero, and fit() drops it.
  const exo = spec.useExogenous ? { values: inputs.exogenous ?? [], startMs: inputs.hourly.start } : undefined
  const full = buildRegressors(windowStart, n + horizon, spec.fourierHarmonics, exo)
  const names = keep === undefined ? full.names : full.names.filter((nm) => keep.includes(nm))
  const idx = names.map((nm) => full.names.indexOf(nm))
  const kx = names.length
  const regressors = new Float64Array((n + horizon) * kx)
  const kAll = full.names.length
  for (let t = 0; t < n + horizon; t++) for (let j = 0; j < kx; j++) regressors[t * kx + j] = full.values[t * kAll + idx[j]!]!
  return { windowStart, y, regressors, names, kx }
}

const fit = (inputs: ModelInputs, specIn: SarimaxSpec): SarimaxFitted => {
  assertInputs(inputs)
  const spec = { ...defaultSarimaxSpec, ...specIn }
  validateSpec(spec)
  const o = orderOf(spec)
  const prep0 = prepare(inputs, spec, 0)
  const n = prep0.y.length
  // Regressors that are identically zero over the window cannot be estimated: drop them (coefficient 0).
  const dropped: string[] = []
  const kept: string[] = []
  prep0.names.forEach((nm, j) => {
    let nz = false
    for (let t = 0; t < n && !nz; t++) nz = prep0.regressors[t * prep0.kx + j] !== 0
    ;(nz ? kept : dropped).push(nm)
  })
  const prep = dropped.length === 0 ? prep0 : prepare(inputs, spec, 0, kept)
  const fd = filterData(prep.y, spec.trend, 1, prep.regressors, prep.kx)
  const res = fitMle(o, fd, { maxIterations: spec.maxIterations, gradTol: spec.gradTol })
  const values = [...res.b, ...res.psi, res.sigma2]
  const names = parameterNames(spec, prep.names)
  const kParams = values.length
  const nEff = res.nObs
  if (!values.every(Number.isFinite)) throw new ModelFitError({ model: "sarimax", reason: "non-finite parameter at the optimum" })
  return {
    kind: "sarimax",
    params: {
      spec,
      names,
      values,
      exogNames: prep.names,
      trendAnchor: prep.windowStart,
      windowStart: prep.windowStart,
      nobs: n
    },
    diagnostics: {
      loglik: res.loglik,
      aic: -2 * res.loglik + 2 * kParams,
      bic: -2 * res.loglik + kParams * Math.log(nEff),
      nobs: n,
      nDiffuse: res.nDiffuse,
      kParams,
      converged: res.converged,
      reason: res.reason,
      iterations: res.iterations,
      restarts: res.restarts,
      evaluations: res.evaluations,
      gradNorm: res.gradNorm,
      nearBoundary: res.nearBoundary,
      standardErrors: res.standardErrors,
      startingValues: Array.from(res.start),
      ljungBox: res.ljungBox,
      droppedRegressors: dropped
    }
  }
}

/** Parameters of a fitted model split into blocks. */
const unpack = (fitted: SarimaxFitted) => {
  const spec = fitted.params.spec
  const o = orderOf(spec)
  const kt = trendTerms(spec.trend)
  const kx = fitted.params.exogNames.length
  const v = fitted.params.values
  const b = v.slice(0, kt + kx)
  const psi = Float64Array.from(v.slice(kt + kx, kt + kx + armaCount(o)))
  const sigma2 = v[v.length - 1]!
  return { spec, o, kt, kx, b, psi, sigma2 }
}

/**
 * Paths of hourly counts for [origin, origin + horizon): the fitted parameters are re-filtered over the
 * inputs' window (so a stored fit forecasts from any later origin), then simulated and back-transformed
 * path by path. Values stay continuous (not rounded to integers); see docs/models/sarimax.md.
 */
const forecast = (fitted: SarimaxFitted, inputs: ModelInputs, horizonHours: number, options: { paths: number; seed: number }): SamplePaths => {
  assertInputs(inputs)
  if (!Number.isInteger(horizonHours) || horizonHours < 1) throw new RangeError("horizonHours must be a positive integer")
  if (!Number.isInteger(options.paths) || options.paths < 1) throw new RangeError("paths must be a positive integer")
  const { spec, o, kt, kx, b, psi, sigma2 } = unpack(fitted)
  const prep = prepare(inputs, spec, horizonHours, fitted.params.exogNames)
  const n = prep.y.length
  const trendOffset = 1 + Math.round((prep.windowStart - fitted.params.trendAnchor) / HOUR_MS)
  const fd = filterData(prep.y, spec.trend, trendOffset, prep.regressors, kx)
  const fr = filterAt(o, fd, psi)
  if (fr === undefined) throw new ModelFitError({ model: "sarimax", reason: "filter failed on the forecast inputs" })
  const ss = stateSpaceAt(o, psi)
  const st = combinedState(fr, b, ss.m, ss.r)
  const fut: FutureTerms = {
    obsOffset: new Float64Array(horizonHours),
    stateIntercept: new Float64Array(horizonHours)
  }
  for (let h = 0; h < horizonHours; h++) {
    const t = n + h
    let off = 0
    for (let j = 0; j < kx; j++) off += b[kt + j]! * prep.regressors[t * kx + j]!
    fut.obsOffset[h] = off
    let c = 0
    for (let j = 0; j < kt; j++) c += b[j]! * trendValue(spec.trend, j, t, trendOffset)
    fut.stateIntercept[h] = c
  }
  const values = simulatePaths(ss, st, sigma2, fut, options.paths, Rng.seeded(options.seed))
  for (let i = 0; i < values.length; i++) values[i] = backTransform(values[i]!, spec.transform)
  return { origin: inputs.origin, hours: horizonHours, paths: options.paths, values }
}

export const sarimaxModel: CountModel<SarimaxSpec, SarimaxFitted> = { kind: "sarimax", fit, forecast }
