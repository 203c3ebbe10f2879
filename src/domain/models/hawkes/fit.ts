/**
 * Maximum likelihood: L-BFGS (the shared optimiser) on θ = (log baseline, logit α, log β, γ) from
 * several starts, objective −ll/N; the best run is polished by a few Newton steps with the analytic
 * Hessian (quadratic convergence from where L-BFGS stops), then standard errors come from the observed
 * information in natural parameters, Cov = (−∇²ll)⁻¹.
 */
import { CholeskyDecomposition, Matrix, inverse } from "ml-matrix"
import { minimizeLbfgs } from "../../optimize/lbfgs"
import { ModelFitError } from "../model"
import type { HawkesData } from "./data"
import { likelihoodScratch, logLikelihoodBins, logLikelihoodHessianBins } from "./likelihood"
import {
  binRates,
  gradientToNatural,
  hessianToNatural,
  toNatural,
  toTheta,
  transformDerivatives,
  type HawkesLayout
} from "./params"
import { DEFAULT_ALPHA_START, DEFAULT_BETA_STARTS, type HawkesSpec, type HawkesStartDiagnostics } from "./types"

/**
 * L-BFGS stops at max |∂(−ll/N)/∂z| ≤ 1e-7 (z the preconditioned θ): close enough for Newton's
 * quadratic convergence to take over (one step to ~1e-10 on 5k–70k events), which is cheaper than
 * running L-BFGS to the end.
 */
const LBFGS_GRAD_TOL = 1e-7

export interface HawkesMle {
  /** Natural parameters at the optimum. */
  readonly p: Float64Array
  readonly logLik: number
  /** Natural-parameter gradient of ll at p. */
  readonly grad: Float64Array
  /** Natural-parameter Hessian of ll at p (n × n row-major). */
  readonly hessian: Float64Array
  readonly starts: HawkesStartDiagnostics[]
  readonly bestStart: number
  readonly startsLogLikSpread: number
  readonly newtonSteps: number
  readonly converged: boolean
  readonly reason: string
}

/** ll, its natural gradient and Hessian at p. */
export const naturalDerivatives = (data: HawkesData, layout: HawkesLayout, p: Float64Array) => {
  const rates = new Float64Array(layout.nBins)
  binRates(layout, p, rates)
  const gamma = layout.iGamma >= 0 ? p[layout.iGamma]! : 0
  const r = logLikelihoodHessianBins(data, rates, p[layout.iAlpha]!, p[layout.iBeta]!, gamma)
  const grad = new Float64Array(layout.n)
  gradientToNatural(layout, p, r.grad, grad)
  return { logLik: r.logLik, grad, hessian: hessianToNatural(layout, p, r.grad, r.hessian) }
}

/** Start point: α0, β0, and baseline levels (1−α0)·count/exposure (the rate net of excitation). */
const startPoint = (data: HawkesData, layout: HawkesLayout, alpha0: number, beta0: number): Float64Array => {
  const p = new Float64Array(layout.n)
  const floor = 1e-3
  if (layout.baseline !== "hour_of_day_day_of_week") {
    for (let b = 0; b < layout.nBins; b++) p[b] = Math.max(((1 - alpha0) * data.binCounts[b]!) / Math.max(data.exposure[b]!, 1e-9), floor)
  } else {
    const cH = new Float64Array(24)
    const eH = new Float64Array(24)
    const cD = new Float64Array(7)
    const eD = new Float64Array(7)
    for (let d = 0; d < 7; d++) {
      for (let h = 0; h < 24; h++) {
        cH[h]! += data.binCounts[d * 24 + h]!
        eH[h]! += data.exposure[d * 24 + h]!
        cD[d]! += data.binCounts[d * 24 + h]!
        eD[d]! += data.exposure[d * 24 + h]!
      }
    }
    for (let h = 0; h < 24; h++) p[h] = Math.max(((1 - alpha0) * cH[h]!) / Math.max(eH[h]!, 1e-9), floor)
    const monday = Math.max(cD[0]! / Math.max(eD[0]!, 1e-9), floor)
    for (let d = 1; d < 7; d++) p[23 + d] = Math.max(cD[d]! / Math.max(eD[d]!, 1e-9), floor) / monday
  }
  p[layout.iAlpha] = alpha0
  p[layout.iBeta] = beta0
  if (layout.iGamma >= 0) p[layout.iGamma] = 0
  return p
}

/** Every baseline parameter must touch some exposure, else it is not identified. */
const checkIdentified = (data: HawkesData, layout: HawkesLayout): void => {
  if (data.times.length === 0) throw new ModelFitError({ model: "hawkes", reason: "no events in the fit window" })
  const missing: string[] = []
  if (layout.baseline !== "hour_of_day_day_of_week") {
    for (let b = 0; b < layout.nBins; b++) if (!(data.exposure[b]! > 0)) missing.push(layout.nBins === 1 ? "mu" : `hour ${b}`)
  } else {
    for (let d = 0; d < 7; d++) {
      let e = 0
      for (let h = 0; h < 24; h++) e += data.exposure[d * 24 + h]!
      if (!(e > 0)) missing.push(`day ${d}`)
    }
  }
  if (missing.length > 0)
    throw new ModelFitError({ model: "hawkes", reason: `window too short for the ${layout.baseline} baseline: no exposure for ${missing.join(", ")}` })
  if (layout.iGamma >= 0) {
    const ex = data.exogenous
    if (ex === undefined || ex.hourX.length === 0)
      throw new ModelFitError({ model: "hawkes", reason: "exogenous term requested but the exogenous intensity is 0 over the whole window (γ not identified)" })
  }
}

const l2 = (v: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!
  return Math.sqrt(s)
}

export const maximizeLikelihood = (data: HawkesData, layout: HawkesLayout, spec: HawkesSpec): HawkesMle => {
  checkIdentified(data, layout)
  const n = layout.n
  const N = data.times.length
  const p = new Float64Array(n)
  const rates = new Float64Array(layout.nBins)
  const gBins = new Float64Array(layout.nBins + 3)
  const gNat = new Float64Array(n)
  const d1 = new Float64Array(n)
  const d2 = new Float64Array(n)
  const scratch = likelihoodScratch(layout.nBins)
  const ll = (th: ArrayLike<number>, gTheta?: Float64Array): number => {
    toNatural(layout, th, p)
    binRates(layout, p, rates)
    const gamma = layout.iGamma >= 0 ? p[layout.iGamma]! : 0
    const v = logLikelihoodBins(data, rates, p[layout.iAlpha]!, p[layout.iBeta]!, gamma, gTheta ? gBins : undefined, scratch)
    if (gTheta) {
      gradientToNatural(layout, p, gBins, gNat)
      transformDerivatives(layout, p, d1, d2)
      for (let j = 0; j < n; j++) gTheta[j] = gNat[j]! * d1[j]!
    }
    return v
  }
  // Minimise −ll/N: O(1) scale whatever the number of events.
  const objective = (th: Float64Array, g: Float64Array): number => {
    const v = ll(th, g)
    for (let j = 0; j < n; j++) g[j] = -g[j]! / N
    return -v / N
  }

  const scale = new Float64Array(n)
  const thetaBuf = new Float64Array(n)
  const gBuf = new Float64Array(n)
  const scaledObjective = (z: Float64Array, g: Float64Array): number => {
    for (let j = 0; j < n; j++) thetaBuf[j] = z[j]! / scale[j]!
    const v = objective(thetaBuf, gBuf)
    for (let j = 0; j < n; j++) g[j] = gBuf[j]! / scale[j]!
    return v
  }

  const alpha0 = spec.alphaStart ?? DEFAULT_ALPHA_START
  const betas = spec.betaStarts ?? DEFAULT_BETA_STARTS
  if (!(alpha0 > 0 && alpha0 < 1)) throw new RangeError(`alphaStart must be in (0,1), got ${alpha0}`)
  if (betas.length === 0 || !betas.every((b) => b > 0)) throw new RangeError("betaStarts must be a non-empty list of rates > 0")

  const starts: HawkesStartDiagnostics[] = []
  let bestTheta: Float64Array | undefined
  let bestLl = Number.NEGATIVE_INFINITY
  let bestStart = -1
  let bestReason = "no start evaluated"
  for (const beta0 of betas) {
    const th0 = toTheta(layout, startPoint(data, layout, alpha0, beta0))
    // Jacobi preconditioning: optimise z = s ⊙ θ with s_j = sqrt|∂²(ll/N)/∂θ_j²| at the start, so the
    // baseline levels (curvature ∝ their share of events) and α, β start on one scale. Halves the
    // number of L-BFGS evaluations on the real data.
    const h0 = newtonState(data, layout, th0).hTheta
    for (let j = 0; j < n; j++) {
      const c = Math.abs(h0[j * n + j]!) / N
      scale[j] = Number.isFinite(c) && c > 1e-8 ? Math.sqrt(c) : 1
    }
    const r = minimizeLbfgs(scaledObjective, Float64Array.from(th0, (v, j) => v * scale[j]!), {
      gradTol: LBFGS_GRAD_TOL,
      maxIterations: spec.maxIterations ?? 1000,
      memory: 20
    })
    const thetaEnd = Float64Array.from(r.x, (v, j) => v / scale[j]!)
    const value = -r.f * N
    toNatural(layout, thetaEnd, p)
    starts.push({
      beta0,
      alpha0,
      logLik: Number.isFinite(value) ? value : Number.NEGATIVE_INFINITY,
      alpha: p[layout.iAlpha]!,
      beta: p[layout.iBeta]!,
      iterations: r.iterations,
      evaluations: r.evaluations,
      gradNorm: maxAbs(Float64Array.from(r.grad, (g, j) => g * scale[j]!)),
      converged: r.converged,
      reason: r.reason
    })
    if (Number.isFinite(value) && value > bestLl) {
      bestLl = value
      bestTheta = thetaEnd
      bestStart = starts.length - 1
      bestReason = r.reason
    }
  }
  if (bestTheta === undefined)
    throw new ModelFitError({ model: "hawkes", reason: `no start reached a finite log-likelihood (${starts.map((s) => s.reason).join(", ")})` })
  const finite = starts.filter((s) => Number.isFinite(s.logLik)).map((s) => s.logLik)
  const spread = Math.max(...finite) - Math.min(...finite)

  // Newton polish in θ with the analytic Hessian: H_θ = D1 H_p D1 + diag(g_p ⊙ d²p/dθ²).
  let theta = Float64Array.from(bestTheta)
  let cur = newtonState(data, layout, theta)
  let steps = 0
  for (let it = 0; it < 8 && cur.gThetaNorm > 1e-13 * N; it++) {
    const negH = new Matrix(n, n)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) negH.set(i, j, -0.5 * (cur.hTheta[i * n + j]! + cur.hTheta[j * n + i]!))
    const chol = new CholeskyDecomposition(negH)
    if (!chol.isPositiveDefinite()) break
    const step = chol.solve(Matrix.columnVector(Array.from(cur.gTheta)))
    const next = Float64Array.from(theta, (v, j) => v + step.get(j, 0))
    const cand = newtonState(data, layout, next)
    if (!(cand.logLik >= cur.logLik - 1e-12 * Math.max(1, Math.abs(cur.logLik))) || !(cand.gThetaNorm < cur.gThetaNorm)) break
    theta = next
    cur = cand
    steps++
  }
  toNatural(layout, theta, p)
  const pFinal = Float64Array.from(p)
  const alpha = pFinal[layout.iAlpha]!
  if (!pFinal.every(Number.isFinite) || !Number.isFinite(cur.logLik))
    throw new ModelFitError({ model: "hawkes", reason: `non-finite parameters or log-likelihood after optimisation (${bestReason})` })
  if (!(alpha < 1 - 1e-9))
    throw new ModelFitError({ model: "hawkes", reason: `branching ratio reached the boundary α = 1 (explosive process; ${bestReason})` })
  // Converged: the θ-gradient of −ll/N is tiny (L-BFGS's own criterion or after Newton).
  const gRel = maxAbs(cur.gTheta) / N
  const converged = gRel <= 1e-6
  if (!converged)
    throw new ModelFitError({
      model: "hawkes",
      reason: `optimiser did not converge: max |∂(ll/N)/∂θ| = ${gRel.toExponential(2)} after ${starts[bestStart]!.iterations} L-BFGS iterations (${bestReason}) and ${steps} Newton steps`
    })
  return {
    p: pFinal,
    logLik: cur.logLik,
    grad: cur.gNat,
    hessian: cur.hNat,
    starts,
    bestStart,
    startsLogLikSpread: spread,
    newtonSteps: steps,
    converged,
    reason: steps > 0 ? `${bestReason}+newton` : bestReason
  }
}

const maxAbs = (v: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!))
  return m
}

const newtonState = (data: HawkesData, layout: HawkesLayout, theta: Float64Array) => {
  const n = layout.n
  const p = new Float64Array(n)
  toNatural(layout, theta, p)
  const nat = naturalDerivatives(data, layout, p)
  const d1 = new Float64Array(n)
  const d2 = new Float64Array(n)
  transformDerivatives(layout, p, d1, d2)
  const gTheta = Float64Array.from(nat.grad, (g, j) => g * d1[j]!)
  const hTheta = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hTheta[i * n + j] = d1[i]! * nat.hessian[i * n + j]! * d1[j]!
  for (let j = 0; j < n; j++) hTheta[j * n + j]! += nat.grad[j]! * d2[j]!
  return { logLik: nat.logLik, gNat: nat.grad, hNat: nat.hessian, gTheta, hTheta, gThetaNorm: l2(gTheta) }
}

/** Covariance (−H)⁻¹ of the natural parameters, or a reason why the observed information is unusable. */
export const observedCovariance = (hessian: Float64Array, n: number): { cov: Float64Array } | { reason: string } => {
  const negH = new Matrix(n, n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) negH.set(i, j, -0.5 * (hessian[i * n + j]! + hessian[j * n + i]!))
  if (!negH.to1DArray().every(Number.isFinite)) return { reason: "observed information is not finite" }
  if (!new CholeskyDecomposition(negH).isPositiveDefinite())
    return { reason: "observed information is not positive definite (a parameter is at a boundary or not identified)" }
  const inv = inverse(negH)
  const cov = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cov[i * n + j] = inv.get(i, j)
  for (let i = 0; i < n; i++) if (!(cov[i * n + i]! > 0)) return { reason: `non-positive variance for parameter ${i}` }
  return { cov }
}
