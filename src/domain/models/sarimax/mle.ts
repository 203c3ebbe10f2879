/**
 * Maximum likelihood for SARIMAX on prepared arrays (no calendar, no ModelInputs: see index.ts).
 *
 * The regression coefficients b (trend + regressors) and σ² are concentrated out exactly (likelihood.ts),
 * so L-BFGS works on the ARMA block only, in the unconstrained coordinates of transforms.ts
 * (stationary AR, invertible MA at every trial point). The gradient is analytic (adjoint, gradient.ts)
 * when d = D = 0, and by central differences of the profile log-likelihood otherwise. Standard errors come from a numerical Hessian of the full log-likelihood in
 * natural parameters (hessian.ts).
 */
import { minimizeLbfgs } from "../../optimize/lbfgs"
import { ModelFitError } from "../model"
import { armaCount, constrainArma, filterAt, stateSpaceAt, unconstrainArma } from "./arma-params"
import { loglikGradient } from "./gradient"
import { kalmanFilter, type FilterData, type FilterResult } from "./kalman"
import { innovations, profileLoglik } from "./likelihood"
import { ljungBox } from "./ljung-box"
import { naturalHessianSe } from "./hessian"
import { difference, hannanRissanen, ols } from "./starting-values"
import type { LjungBox } from "./spec"
import type { SarimaxOrder } from "./state-space"

export interface MleOptions {
  readonly maxIterations: number
  readonly gradTol: number
  /** Natural ψ to start from instead of Hannan–Rissanen. */
  readonly start?: ArrayLike<number>
  /** Skip the Hessian (standard errors), e.g. inside a benchmark of the optimiser alone. */
  readonly skipStandardErrors?: boolean
}

export interface MleResult {
  /** Natural ARMA coefficients (ar, ma, sar, sma). */
  readonly psi: Float64Array
  /** Regression coefficients (trend terms, then regressors). */
  readonly b: Float64Array
  readonly sigma2: number
  readonly loglik: number
  readonly nObs: number
  readonly nDiffuse: number
  readonly converged: boolean
  readonly reason: string
  readonly iterations: number
  readonly evaluations: number
  readonly gradNorm: number
  readonly start: Float64Array
  /** SEs in the order (b, ψ, σ²); null where the Hessian is not negative definite. */
  readonly standardErrors: ReadonlyArray<number | null>
  readonly ljungBox: ReadonlyArray<LjungBox>
  readonly filter: FilterResult
}

const fail = (reason: string): never => {
  throw new ModelFitError({ model: "sarimax", reason })
}

/** Residuals of the (differenced) series after OLS on the (differenced) regressors, for the HR start. */
const regressionResiduals = (o: SarimaxOrder, fd: FilterData): Float64Array => {
  const { n, cols, data } = fd
  const y = new Float64Array(n)
  for (let t = 0; t < n; t++) y[t] = data[t * cols]!
  const w = difference(y, o.d, o.D, o.s)
  // Regressors: observation-side columns differenced, state-side trend columns as a constant/time index.
  const regs: Float64Array[] = [new Float64Array(w.length).fill(1)]
  for (let c = 1; c < cols; c++) {
    const col = new Float64Array(n)
    let nonzero = false
    for (let t = 0; t < n; t++) {
      col[t] = fd.intercept !== undefined && fd.intercept[t * cols + c] !== 0 ? -fd.intercept[t * cols + c]! : data[t * cols + c]!
      nonzero ||= col[t] !== 0
    }
    if (!nonzero) continue
    const dc = fd.intercept !== undefined && fd.intercept[c] !== 0 ? col.subarray(0, w.length) : difference(col, o.d, o.D, o.s)
    let varies = false
    for (let t = 1; t < dc.length; t++) varies ||= dc[t] !== dc[0]
    if (varies) regs.push(dc)
  }
  const k = regs.length
  const X = new Float64Array(w.length * k)
  for (let t = 0; t < w.length; t++) for (let j = 0; j < k; j++) X[t * k + j] = regs[j]![t]!
  const beta = ols(X, w, w.length, k)
  if (beta === undefined) return w
  const u = new Float64Array(w.length)
  for (let t = 0; t < w.length; t++) {
    let v = w[t]!
    for (let j = 0; j < k; j++) v -= beta[j]! * X[t * k + j]!
    u[t] = v
  }
  return u
}

export const fitMle = (o: SarimaxOrder, fd: FilterData, options: MleOptions): MleResult => {
  const kArma = armaCount(o)
  const r = o.d + o.s * o.D
  if (fd.n < r + 2 * Math.max(1, o.s * Math.max(o.P, o.Q)) + 10) fail(`too few observations (${fd.n}) for this order`)
  for (let i = 0; i < fd.data.length; i++) if (!Number.isFinite(fd.data[i]!)) fail("non-finite value in the series or regressors")

  const start = options.start !== undefined ? Float64Array.from(options.start) : hannanRissanen(o, regressionResiduals(o, fd))
  const x0 = unconstrainArma(o, start) ?? new Float64Array(kArma)

  let evaluations = 0
  const negLoglik = (x: Float64Array): number => {
    evaluations++
    const fr = filterAt(o, fd, constrainArma(o, x))
    const pr = fr === undefined ? undefined : profileLoglik(fr)
    return pr === undefined ? Number.POSITIVE_INFINITY : -pr.loglik
  }
  const xh = new Float64Array(kArma)
  // d = D = 0: adjoint gradient in ψ, chained to x through the Jacobian of the (cheap) transform.
  const adjointObjective = (x: Float64Array, grad: Float64Array): number => {
    evaluations++
    const psi = constrainArma(o, x)
    const ss = stateSpaceAt(o, psi)
    const fr = kalmanFilter(ss, fd, { record: true })
    const pr = fr === undefined ? undefined : profileLoglik(fr)
    if (fr === undefined || pr === undefined) return Number.POSITIVE_INFINITY
    const gPsi = loglikGradient(o, fd, fr, ss, psi, pr.b, pr.sigma2)
    if (gPsi === undefined) return Number.POSITIVE_INFINITY
    for (let i = 0; i < kArma; i++) {
      const h = 1e-6 * Math.max(1, Math.abs(x[i]!))
      xh.set(x)
      xh[i] = x[i]! + h
      const pp = constrainArma(o, xh)
      xh[i] = x[i]! - h
      const pm = constrainArma(o, xh)
      let s = 0
      for (let k = 0; k < kArma; k++) s += gPsi[k]! * (pp[k]! - pm[k]!)
      grad[i] = -s / (2 * h)
    }
    return -pr.loglik
  }
  // d + D > 0: central differences of the profile likelihood.
  const differenceObjective = (x: Float64Array, grad: Float64Array): number => {
    const f = negLoglik(x)
    if (!Number.isFinite(f)) return f
    for (let i = 0; i < kArma; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(x[i]!))
      xh.set(x)
      xh[i] = x[i]! + h
      const fp = negLoglik(xh)
      xh[i] = x[i]! - h
      const fm = negLoglik(xh)
      grad[i] = Number.isFinite(fp) && Number.isFinite(fm) ? (fp - fm) / (2 * h) : Number.isFinite(fp) ? (fp - f) / h : (f - fm) / h
    }
    return f
  }
  const objective = r === 0 ? adjointObjective : differenceObjective

  let psi: Float64Array
  let iterations = 0
  let reason = "no-arma-parameters"
  let converged = true
  let gradNorm = 0
  if (kArma > 0) {
    const res = minimizeLbfgs(objective, x0, { gradTol: options.gradTol, maxIterations: options.maxIterations, memory: 10 })
    if (!Number.isFinite(res.f)) fail(`likelihood not finite at the start or optimum (${res.reason})`)
    psi = constrainArma(o, res.x)
    iterations = res.iterations
    reason = res.reason
    gradNorm = res.gradNorm
    // Central-difference gradients carry noise ~ε|ℓ|/h, so a line search can fail at the optimum;
    // that is accepted as convergence only when the gradient is at the same tolerance scale.
    converged = res.converged || (res.reason === "line-search-failed" && res.gradNorm <= 100 * options.gradTol * Math.max(1, Math.abs(res.f)))
  } else psi = new Float64Array(0)

  const filter = filterAt(o, fd, psi, true)
  const prof = filter === undefined ? undefined : profileLoglik(filter)
  if (filter === undefined || prof === undefined) return fail("filter failed at the optimum (regressors collinear or series constant)")

  const v = innovations(filter, prof.b)
  const std: number[] = []
  for (let t = 0; t < filter.n; t++) if (filter.diffuse![t] !== 1) std.push(v[t]! / Math.sqrt(prof.sigma2 * filter.F![t]!))
  const lb = [24, 48].filter((h) => h < std.length / 2).map((h) => ljungBox(std, h, kArma))
  const standardErrors = options.skipStandardErrors
    ? new Array<number | null>(fd.cols + kArma).fill(null)
    : naturalHessianSe(o, fd, psi, prof.b, prof.sigma2)
  return {
    psi,
    b: prof.b,
    sigma2: prof.sigma2,
    loglik: prof.loglik,
    nObs: filter.nObs,
    nDiffuse: filter.nDiffuse,
    converged,
    reason,
    iterations,
    evaluations,
    gradNorm,
    start,
    standardErrors,
    ljungBox: lb,
    filter
  }
}
