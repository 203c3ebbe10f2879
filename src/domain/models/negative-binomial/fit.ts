/**
 * NB2 regression by maximum likelihood on a dense design:
 *
 * 1. degenerate columns are dropped or penalised with named warnings (checks.ts);
 * 2. start: Poisson GLM by IRLS from β = (log ȳ, 0, …), then α by Newton on log α at that μ;
 * 3. joint Newton on (β, log α) with the analytic Hessian — its β block is the IRLS normal matrix
 *    XᵀWX — and step halving; when the joint Hessian is not negative definite the step falls back to
 *    alternating an IRLS step for β and a dispersion Newton step for α (both always ascent directions);
 * 4. stop when the (penalised) log-likelihood changes by less than `tol` (1e-10) relative AND the Newton
 *    step is below 1e-6 relative (convergence is quadratic, so the estimate is then good to ~1e-12);
 * 5. standard errors from the observed information in (β, α) — sqrt(diag((−H)⁻¹)), as statsmodels'
 *    NegativeBinomial reports them (α itself, not log α).
 *
 * A fixed α (spec.alpha) fits β by IRLS alone; α = 0 is the Poisson GLM. When the ML α falls below
 * ALPHA_MIN the data are not overdispersed and the Poisson fit is returned (boundary, warned).
 */
import { ModelFitError } from "../model"
import { checkDesign, SEPARATION_RIDGE, type DroppedColumn } from "./checks"
import { ALPHA_MIN, logAlphaStep, MAX_LOG_ALPHA_STEP, maximizeAlpha, momentAlpha } from "./dispersion"
import { IrlsWorkspace, irls, irlsDirection, penaltyValue, ROUNDING_SLACK, type IrlsWeights } from "./irls"
import { invertSpd, solveSpd } from "./linalg"
import { Nb2Likelihood } from "./loglik"
import { csrGram, csrSelect, toCsr } from "./sparse"

export interface NbRegressionOptions {
  /** Fix α instead of estimating it (0 = Poisson GLM). */
  readonly alpha?: number
  /** Ridge penalty λ ≥ 0 on every coefficient but the intercept (default 0). */
  readonly ridge?: number
  /** log-exposure offset added to Xβ. */
  readonly offset?: Float64Array
  /** Relative log-likelihood change that ends the iterations (default 1e-10). */
  readonly tol?: number
  readonly maxIterations?: number
  /** Weights of the IRLS steps (fixed-α fits and fallbacks): "observed" = Newton (default), "expected" = Fisher scoring. */
  readonly irlsWeights?: IrlsWeights
  /** Also fit the intercept-only model for llfNull (default true). */
  readonly nullModel?: boolean
}

export interface NbRegressionResult {
  readonly columns: ReadonlyArray<string>
  /** One per column; 0 for a dropped column. */
  readonly beta: Float64Array
  readonly alpha: number
  /** Standard errors of β (null for a dropped column or when the information is singular). */
  readonly se: ReadonlyArray<number | null>
  /** Standard error of α (null when α was fixed, at the Poisson boundary, or the information is singular). */
  readonly seAlpha: number | null
  /** Covariance of β over all columns (row-major p × p, zero rows/columns for dropped ones), if available. */
  readonly covBeta: Float64Array | undefined
  readonly llf: number
  readonly llfNull: number | undefined
  readonly deviance: number
  readonly pearsonChi2: number
  readonly aic: number
  readonly bic: number
  readonly nobs: number
  /** Number of estimated parameters (kept columns + α when estimated). */
  readonly k: number
  readonly alphaEstimated: boolean
  readonly iterations: number
  readonly converged: boolean
  readonly reason: string
  /** Largest |∂ℓ/∂θ| at the estimate over (β, α) (penalised score when a penalty is used). */
  readonly maxAbsScore: number
  readonly dropped: ReadonlyArray<DroppedColumn>
  readonly separated: ReadonlyArray<string>
  readonly warnings: ReadonlyArray<string>
  readonly mu: Float64Array
}

const fail = (reason: string): never => {
  throw new ModelFitError({ model: "negative_binomial", reason })
}

export const fitNbRegression = (
  X: Float64Array,
  y: Float64Array,
  columns: ReadonlyArray<string>,
  options: NbRegressionOptions = {}
): NbRegressionResult => {
  const n = y.length
  const pAll = columns.length
  if (X.length !== n * pAll) fail(`design has ${X.length} entries, expected ${n} × ${pAll}`)
  let ySum = 0
  for (let i = 0; i < n; i++) {
    const v = y[i]!
    if (!(v >= 0) || !Number.isFinite(v)) fail(`count ${i} is ${v}; counts must be finite and >= 0`)
    ySum += v
  }
  for (let i = 0; i < X.length; i++) if (!Number.isFinite(X[i]!)) fail(`design entry (${Math.floor(i / pAll)}, ${columns[i % pAll]}) is ${X[i]}`)
  if (ySum === 0) fail("every count is zero: the ML rate is 0 (log-rate -Infinity)")
  const ridge = options.ridge ?? 0
  if (!(ridge >= 0)) fail(`ridge must be >= 0, got ${ridge}`)
  if (options.alpha !== undefined && !(options.alpha >= 0 && Number.isFinite(options.alpha))) fail(`fixed alpha must be finite and >= 0, got ${options.alpha}`)
  const tol = options.tol ?? 1e-10
  const maxIterations = options.maxIterations ?? 200
  const irlsWeights = options.irlsWeights ?? "observed"

  const full = toCsr(X, n, pAll)
  const check = checkDesign(full, y, columns)
  const keep = check.keep
  const p = keep.length
  if (p === 0) fail("no usable column in the design")
  if (n <= p) fail(`${n} rows cannot identify ${p} coefficients`)
  const warnings = [...check.warnings]
  const interceptPos = check.intercept === undefined ? -1 : keep.indexOf(check.intercept)
  const separated = new Set(check.separated)
  let penalty: Float64Array | undefined
  if (ridge > 0 || separated.size > 0) {
    penalty = new Float64Array(p)
    keep.forEach((j, a) => {
      if (a === interceptPos) return
      penalty![a] = separated.has(j) ? Math.max(ridge, SEPARATION_RIDGE) : ridge
    })
  }

  const A = csrSelect(full, keep)
  const lik = new Nb2Likelihood(A, y, options.offset)

  // Start: Poisson GLM (concave, IRLS = Newton) from log ȳ at the intercept.
  const beta0 = new Float64Array(p)
  if (interceptPos >= 0) beta0[interceptPos] = Math.log(ySum / n) / X[check.intercept!]!
  // A rough Poisson fit is enough as a start: the joint Newton iterations refine it.
  const poisson = irls(lik, 0, beta0, { tol: options.alpha === 0 ? tol : 1e-6, maxIterations, penalty })
  let beta = poisson.beta
  let alpha: number
  let iterations = poisson.iterations
  let converged: boolean
  let reason: string
  const alphaEstimated = options.alpha === undefined

  if (!alphaEstimated) {
    alpha = options.alpha!
    if (alpha === 0) {
      converged = poisson.converged
      reason = poisson.reason
    } else {
      const r = irls(lik, alpha, beta, { tol, maxIterations, penalty, weights: irlsWeights })
      beta = r.beta
      iterations += r.iterations
      converged = r.converged
      reason = r.reason
    }
  } else {
    lik.setBeta(beta)
    const start = maximizeAlpha(lik, momentAlpha(y, lik.mu))
    if (start.boundary) {
      alpha = 0
      converged = poisson.converged
      reason = poisson.reason
    } else {
      const joint = jointNewton(lik, beta, start.alpha, penalty, tol, maxIterations, irlsWeights)
      beta = joint.beta
      alpha = joint.alpha
      iterations += joint.iterations
      converged = joint.converged
      reason = joint.reason
    }
    if (alpha === 0) {
      // Not overdispersed: the Poisson GLM is the ML fit.
      const r = irls(lik, 0, beta, { tol, maxIterations, penalty })
      beta = r.beta
      iterations += r.iterations
      converged = r.converged
      reason = `alpha at the boundary 0 (no overdispersion): Poisson GLM; ${r.reason}`
      warnings.push("the ML dispersion alpha is 0 (no overdispersion): the fit is the Poisson GLM and alpha has no standard error")
    }
  }
  if (!converged) warnings.push(`the fit did not converge: ${reason}`)

  lik.setBeta(beta)
  const llf = lik.loglik(alpha)
  if (!Number.isFinite(llf)) fail(`log-likelihood is not finite at the final estimate (${reason})`)
  for (let j = 0; j < p; j++) if (!Number.isFinite(beta[j]!)) fail(`coefficient ${columns[keep[j]!]} is not finite (${reason})`)

  // Observed information in (β, α) (α block only when α was estimated and is interior).
  const withAlpha = alphaEstimated && alpha > 0
  const q = withAlpha ? p + 1 : p
  const info = new Float64Array(q * q)
  const w = new Float64Array(n)
  const gram = new Float64Array(p * p)
  lik.etaWeights(alpha, "observed", w)
  csrGram(A, w, gram)
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) info[a * q + b] = gram[a * p + b]! + (a === b && penalty ? penalty[a]! : 0)
  const score = new Float64Array(p)
  lik.scoreBeta(alpha, score)
  let maxAbsScore = 0
  for (let j = 0; j < p; j++) maxAbsScore = Math.max(maxAbsScore, Math.abs(score[j]! - (penalty ? penalty[j]! * beta[j]! : 0)))
  if (withAlpha) {
    const hba = new Float64Array(p)
    lik.hessianBetaAlpha(alpha, hba)
    for (let a = 0; a < p; a++) info[a * q + p] = info[p * q + a] = -hba[a]!
    const [sa, haa] = lik.alphaDerivatives(alpha)
    info[p * q + p] = -haa
    maxAbsScore = Math.max(maxAbsScore, Math.abs(sa))
  }
  const cov = invertSpd(info, q)
  if (cov === undefined) warnings.push("the observed information is not positive definite: no standard errors")

  const fullBeta = new Float64Array(pAll)
  const se: (number | null)[] = new Array(pAll).fill(null)
  let covBeta: Float64Array | undefined
  if (cov !== undefined) covBeta = new Float64Array(pAll * pAll)
  keep.forEach((j, a) => {
    fullBeta[j] = beta[a]!
    if (cov !== undefined) {
      se[j] = Math.sqrt(cov[a * q + a]!)
      keep.forEach((k, b) => (covBeta![j * pAll + k] = cov[a * q + b]!))
    }
  })
  const seAlpha = withAlpha && cov !== undefined ? Math.sqrt(cov[p * q + p]!) : null

  const k = p + (alphaEstimated ? 1 : 0)
  const llfNull = options.nullModel === false || interceptPos < 0 ? undefined : nullLoglik(X, y, pAll, check.intercept!, columns, options)
  return {
    columns,
    beta: fullBeta,
    alpha,
    se,
    seAlpha,
    covBeta,
    llf,
    llfNull,
    deviance: lik.deviance(alpha),
    pearsonChi2: lik.pearsonChi2(alpha),
    aic: -2 * llf + 2 * k,
    bic: -2 * llf + k * Math.log(n),
    nobs: n,
    k,
    alphaEstimated,
    iterations,
    converged,
    reason,
    maxAbsScore,
    dropped: check.dropped,
    separated: check.separated.map((j) => columns[j]!),
    warnings,
    mu: Float64Array.from(lik.mu)
  }
}

/**
 * Intercept-only model with the same α treatment (estimated or fixed): its llf is statsmodels' llnull.
 * Without an offset its ML rate is ȳ for any α (the score Σ(y−μ)/(1+αμ) vanishes at μ = ȳ), so only α is fitted.
 */
const nullLoglik = (X: Float64Array, y: Float64Array, pAll: number, intercept: number, columns: ReadonlyArray<string>, options: NbRegressionOptions): number => {
  const n = y.length
  const X0 = new Float64Array(n)
  for (let i = 0; i < n; i++) X0[i] = X[i * pAll + intercept]!
  if (options.offset !== undefined) return fitNbRegression(X0, y, [columns[intercept]!], { ...options, ridge: 0, nullModel: false }).llf
  let s = 0
  for (let i = 0; i < n; i++) s += y[i]!
  const lik = new Nb2Likelihood(toCsr(X0, n, 1), y)
  lik.setBeta([Math.log(s / n) / X0[0]!])
  if (options.alpha !== undefined) return lik.loglik(options.alpha)
  return maximizeAlpha(lik, momentAlpha(y, lik.mu)).llf
}

/** Largest relative Newton step at convergence. */
const STEP_TOL = 1e-6

interface JointResult {
  readonly beta: Float64Array
  readonly alpha: number
  readonly iterations: number
  readonly converged: boolean
  readonly reason: string
}

/** Newton on (β, θ = log α) with step halving; on return `lik` holds the final β's μ. */
const jointNewton = (
  lik: Nb2Likelihood,
  beta0: Float64Array,
  alpha0: number,
  penalty: Float64Array | undefined,
  tol: number,
  maxIterations: number,
  irlsWeights: IrlsWeights
): JointResult => {
  const p = lik.p
  const q = p + 1
  const ws = new IrlsWorkspace(lik.n, p)
  const hba = new Float64Array(p)
  const negH = new Float64Array(q * q)
  const grad = new Float64Array(q)
  const trial = new Float64Array(p)
  const beta = Float64Array.from(beta0)
  let theta = Math.log(alpha0)
  lik.setBeta(beta)
  let obj = lik.loglik(alpha0) - penaltyValue(beta, penalty)
  for (let it = 1; it <= maxIterations; it++) {
    const alpha = Math.exp(theta)
    // `lik` holds β's μ (set before the loop, then by the accepted trial of the line search).
    // β block: the IRLS normal matrix with observed weights (the exact −∂²ℓ/∂β²) and the penalised score.
    const irlsDelta = irlsDirection(lik, beta, alpha, "observed", penalty, ws)
    const [sa, haa] = lik.alphaDerivatives(alpha)
    lik.hessianBetaAlpha(alpha, hba)
    const gTheta = alpha * sa
    const hTheta = alpha * alpha * haa + alpha * sa
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) negH[a * q + b] = ws.gram[a * p + b]!
      negH[a * q + p] = negH[p * q + a] = -alpha * hba[a]!
      grad[a] = ws.grad[a]!
    }
    negH[p * q + p] = -hTheta
    grad[p] = gTheta
    let delta = solveSpd(negH, grad)
    let fallback = false
    if (delta === undefined) {
      // Not concave here: alternate an IRLS step for β (expected weights if asked) with a dispersion step.
      fallback = true
      const d = irlsWeights === "observed" ? irlsDelta : irlsDirection(lik, beta, alpha, irlsWeights, penalty, ws)
      if (d === undefined) return { beta, alpha, iterations: it, converged: false, reason: "weighted normal matrix XᵀWX is not positive definite" }
      delta = new Float64Array(q)
      delta.set(d)
      delta[p] = logAlphaStep(gTheta, hTheta)
    }
    delta[p] = Math.max(-MAX_LOG_ALPHA_STEP, Math.min(MAX_LOG_ALPHA_STEP, delta[p]!))
    let maxDir = Math.abs(delta[p]!)
    for (let j = 0; j < p; j++) maxDir = Math.max(maxDir, Math.abs(delta[j]!) / (1 + Math.abs(beta[j]!)))
    const floor = obj - ROUNDING_SLACK * Math.abs(obj)
    let t = 1
    let next = -Infinity
    for (let halving = 0; halving < 40; halving++) {
      for (let j = 0; j < p; j++) trial[j] = beta[j]! + t * delta[j]!
      lik.setBeta(trial)
      next = lik.loglik(Math.exp(theta + t * delta[p]!)) - penaltyValue(trial, penalty)
      if (next >= floor) break
      t /= 2
    }
    if (!(next >= floor)) {
      lik.setBeta(beta)
      const atOptimum = maxDir < STEP_TOL
      return { beta, alpha, iterations: it, converged: atOptimum, reason: atOptimum ? "no further ascent (at the optimum to rounding)" : "line search failed" }
    }
    beta.set(trial)
    theta += t * delta[p]!
    const change = next - obj
    obj = next
    if (Math.exp(theta) < ALPHA_MIN) return { beta, alpha: 0, iterations: it, converged: true, reason: "alpha below ALPHA_MIN" }
    // Converged when the log-likelihood has settled AND the full Newton step (the distance to the optimum,
    // which it overshoots by only O(step²)) is small.
    if (!fallback && Math.abs(change) <= tol * Math.abs(obj) && maxDir < STEP_TOL) {
      return { beta, alpha: Math.exp(theta), iterations: it, converged: true, reason: `log-likelihood change < ${tol} relative` }
    }
  }
  return { beta, alpha: Math.exp(theta), iterations: maxIterations, converged: false, reason: `no convergence in ${maxIterations} iterations` }
}
