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
import { armaCount, constrainArma, constrainArmaJacobian, filterAt, stateSpaceAt, unconstrainArma } from "./arma-params"
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
  /** L-BFGS restarts after a failed line search (0 or 1). */
  readonly restarts: number
  readonly evaluations: number
  readonly gradNorm: number
  /** Some AR/MA partial autocorrelation has |r| > 0.999 (root next to the unit circle). */
  readonly nearBoundary: boolean
  readonly start: Float64Array
  /** SEs in the order (b, ψ, σ²); null where the Hessian is not negative definite. */
  readonly standardErrors: ReadonlyArray<number | null>
  readonly ljungBox: ReadonlyArray<LjungBox>
  readonly filter: FilterResult
}

/** |x| beyond this means a partial autocorrelation |r| > 0.999: a root within 0.1% of the unit circle. */
const BOUNDARY_X = 22.3
/**
 * The optimiser works on z with x = X_MAX·tanh(z/X_MAX) (x: statsmodels' unconstrained coordinates).
 * That caps every partial autocorrelation at |r| ≤ 0.99995, so when the likelihood's supremum lies on
 * the stationarity/invertibility boundary (near-cancelling seasonal roots Φ → 1, Θ → −1) the optimiser
 * converges to a point next to it, where the filter is still well conditioned, instead of drifting to
 * |x| = ∞ where P₁ ~ 1/(1 − Φ²) destroys the precision of ℓ. An interior maximiser is unchanged.
 */
const X_MAX = 100
const toX = (z: Float64Array): Float64Array => z.map((v) => X_MAX * Math.tanh(v / X_MAX))
const toZ = (x: Float64Array): Float64Array => x.map((v) => X_MAX * Math.atanh(Math.max(-0.999, Math.min(0.999, v / X_MAX))))

const fail = (reason: string): never => {
  throw new ModelFitError({ model: "sarimax", reason })
}

/** Residuals of the (differenced) series after OLS on the (differenced) regressors, for the HR start. */
const regressionResiduals = (o: SarimaxOrder, fd: FilterData): Float64Array => {
  const { n, cols, data } = fd
  const y = new Float64Array(n)
  for (let t = 0; t < n; t++) y[t] = data[t * cols]!
  const w = difference(y, o.d, o.D, o.s)
  // Regressors: observation-side columns (data) are differenced like y; state-side trend columns
  // (intercept −τ, never 0) act on the differenced series, so τ enters undifferenced.
  const stateSide = (c: number): boolean => fd.intercept !== undefined && fd.intercept[c] !== 0
  const regs: Float64Array[] = [new Float64Array(w.length).fill(1)]
  for (let c = 1; c < cols; c++) {
    const col = Float64Array.from({ length: n }, (_, t) => (stateSide(c) ? -fd.intercept![t * cols + c]! : data[t * cols + c]!))
    const dc = stateSide(c) ? col.subarray(0, w.length) : difference(col, o.d, o.D, o.s)
    // Constant columns duplicate the intercept column; all-zero ones carry nothing.
    if (dc.some((v) => v !== dc[0])) regs.push(dc)
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
  const negLoglik = (z: Float64Array): number => {
    evaluations++
    const fr = filterAt(o, fd, constrainArma(o, toX(z)))
    const pr = fr === undefined ? undefined : profileLoglik(fr)
    return pr === undefined ? Number.POSITIVE_INFINITY : -pr.loglik
  }
  const xh = new Float64Array(kArma)
  // d = D = 0: adjoint gradient in ψ, chained to x through the Jacobian of the (cheap) transform.
  const adjointObjective = (z: Float64Array, grad: Float64Array): number => {
    evaluations++
    const x = toX(z)
    const psi = constrainArma(o, x)
    const ss = stateSpaceAt(o, psi)
    const fr = kalmanFilter(ss, fd, { record: true })
    const pr = fr === undefined ? undefined : profileLoglik(fr)
    if (fr === undefined || pr === undefined) return Number.POSITIVE_INFINITY
    const gPsi = loglikGradient(o, fd, fr, ss, psi, pr.b, pr.sigma2)
    if (gPsi === undefined) return Number.POSITIVE_INFINITY
    const J = constrainArmaJacobian(o, x)
    for (let i = 0; i < kArma; i++) {
      let s = 0
      for (let k = 0; k < kArma; k++) s += gPsi[k]! * J[k * kArma + i]!
      const th = Math.tanh(z[i]! / X_MAX)
      grad[i] = -s * (1 - th * th)
    }
    return -pr.loglik
  }
  // d + D > 0: central differences of the profile likelihood.
  const differenceObjective = (z: Float64Array, grad: Float64Array): number => {
    const f = negLoglik(z)
    if (!Number.isFinite(f)) return f
    for (let i = 0; i < kArma; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(z[i]!))
      xh.set(z)
      xh[i] = z[i]! + h
      const fp = negLoglik(xh)
      xh[i] = z[i]! - h
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
  let nearBoundary = false
  let restarts = 0
  if (kArma > 0) {
    // fTol with stepTol = ∞ is a relative-reduction stop (scipy's factr, 1e-13 here): when the supremum
    // lies on the boundary (e.g. Φ → 1 with Θ → −1, a deterministic daily cycle) x drifts to infinity
    // while ℓ converges; the `nearBoundary` diagnostic says so.
    const lbfgsOptions = {
      gradTol: options.gradTol,
      maxIterations: options.maxIterations,
      memory: 10,
      fTol: 1e-13,
      stepTol: Number.POSITIVE_INFINITY
    }
    let res = minimizeLbfgs(objective, toZ(x0), lbfgsOptions)
    iterations = res.iterations
    // A failed line search with stale curvature pairs gets one restart from the last point with an empty
    // memory (standard quasi-Newton practice); it converges or fails on its own criteria.
    if (res.reason === "line-search-failed" && Number.isFinite(res.f)) {
      restarts++
      res = minimizeLbfgs(objective, res.x, lbfgsOptions)
      iterations += res.iterations
    }
    if (!Number.isFinite(res.f)) fail(`likelihood not finite at the start or optimum (${res.reason})`)
    const xOpt = toX(res.x)
    psi = constrainArma(o, xOpt)
    reason = res.reason
    gradNorm = res.gradNorm
    converged = res.converged
    nearBoundary = xOpt.some((v) => Math.abs(v) > BOUNDARY_X)
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
    restarts,
    evaluations,
    gradNorm,
    nearBoundary,
    start,
    standardErrors,
    ljungBox: lb,
    filter
  }
}
