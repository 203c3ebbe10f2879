/**
 * β given α by iteratively reweighted least squares. Each step solves the weighted normal equations
 *
 *   (XᵀWX + Λ) δ = Xᵀs − Λβ,   s_i = (y_i − μ_i)/(1 + αμ_i),   β ← β + δ
 *
 * (the same as regressing the working response z = η + s/W on X with weights W). With the default
 * "observed" weights W = μ(1+αy)/(1+αμ)² this is Newton's method on the NB log-likelihood at fixed α
 * (quadratic convergence); "expected" weights W = μ/(1+αμ) give the classic GLM Fisher scoring of
 * statsmodels' GLM(family=NegativeBinomial(α)). Both weights are positive, so XᵀWX is positive definite
 * whenever X has full column rank; both converge to the same estimate. α = 0 is the Poisson GLM.
 *
 * Λ = diag(penalty) is an optional ridge penalty: the objective is ℓ(β) − ½ Σ λ_j β_j².
 */
import { csrGram } from "./sparse"
import type { Nb2Likelihood } from "./loglik"
import { solveSpd } from "./linalg"

/** Relative rounding noise allowed in a log-likelihood comparison (a sum of ~10³ terms). */
export const ROUNDING_SLACK = 1e-13

export type IrlsWeights = "observed" | "expected"

export interface IrlsOptions {
  readonly weights?: IrlsWeights
  /** Stop when the (penalised) log-likelihood changes by less than tol·|ℓ| in a step. */
  readonly tol?: number
  readonly maxIterations?: number
  /**
   * ...and the largest step |Δβ_j|/(1+|β_j|) is below stepTol (default 1e-8): a flat log-likelihood can
   * change by less than tol while Fisher scoring, which converges linearly, is still moving.
   */
  readonly stepTol?: number
  readonly penalty?: Float64Array
}

export interface IrlsResult {
  readonly beta: Float64Array
  /** Penalised log-likelihood (the plain one when there is no penalty). */
  readonly objective: number
  readonly iterations: number
  readonly converged: boolean
  readonly reason: string
}

export const penaltyValue = (beta: ArrayLike<number>, penalty: Float64Array | undefined): number => {
  if (penalty === undefined) return 0
  let s = 0
  for (let j = 0; j < penalty.length; j++) s += penalty[j]! * beta[j]! * beta[j]!
  return 0.5 * s
}

/** Scratch buffers for the IRLS step, sized once per problem. */
export class IrlsWorkspace {
  readonly w: Float64Array
  readonly gram: Float64Array
  readonly grad: Float64Array
  readonly trial: Float64Array
  constructor(n: number, p: number) {
    this.w = new Float64Array(n)
    this.gram = new Float64Array(p * p)
    this.grad = new Float64Array(p)
    this.trial = new Float64Array(p)
  }
}

/**
 * The IRLS direction δ at the β currently set in `lik` (penalised score into ws.grad, the normal matrix
 * into ws.gram); undefined when XᵀWX + Λ is not positive definite.
 */
export const irlsDirection = (
  lik: Nb2Likelihood,
  beta: Float64Array,
  alpha: number,
  weights: IrlsWeights,
  penalty: Float64Array | undefined,
  ws: IrlsWorkspace
): Float64Array | undefined => {
  const p = lik.p
  lik.scoreBeta(alpha, ws.grad)
  lik.etaWeights(alpha, weights, ws.w)
  csrGram(lik.A, ws.w, ws.gram)
  if (penalty !== undefined) {
    for (let j = 0; j < p; j++) {
      ws.grad[j]! -= penalty[j]! * beta[j]!
      ws.gram[j * p + j]! += penalty[j]!
    }
  }
  return solveSpd(ws.gram, ws.grad)
}

/** Fits β at fixed α from `beta0`; on return `lik` holds the final β's η and μ. */
export const irls = (lik: Nb2Likelihood, alpha: number, beta0: ArrayLike<number>, options: IrlsOptions = {}): IrlsResult => {
  const weights = options.weights ?? "observed"
  const tol = options.tol ?? 1e-10
  const maxIterations = options.maxIterations ?? 200
  const stepTol = options.stepTol ?? 1e-8
  const penalty = options.penalty
  const p = lik.p
  const ws = new IrlsWorkspace(lik.n, p)
  const beta = Float64Array.from(beta0)
  lik.setBeta(beta)
  let objective = lik.loglik(alpha) - penaltyValue(beta, penalty)
  if (!Number.isFinite(objective)) return { beta, objective, iterations: 0, converged: false, reason: "log-likelihood not finite at the start values" }
  for (let it = 1; it <= maxIterations; it++) {
    const delta = irlsDirection(lik, beta, alpha, weights, penalty, ws)
    if (delta === undefined) {
      lik.setBeta(beta)
      return { beta, objective, iterations: it, converged: false, reason: "weighted normal matrix XᵀWX is not positive definite" }
    }
    let maxDir = 0
    for (let j = 0; j < p; j++) maxDir = Math.max(maxDir, Math.abs(delta[j]!) / (1 + Math.abs(beta[j]!)))
    // Step halving keeps every iteration an ascent step (IRLS can overshoot far from the optimum). Near the
    // optimum the change is below the rounding noise of the sum, hence the slack.
    const floor = objective - ROUNDING_SLACK * Math.abs(objective)
    let t = 1
    let next = -Infinity
    for (let halving = 0; halving < 40; halving++) {
      for (let j = 0; j < p; j++) ws.trial[j] = beta[j]! + t * delta[j]!
      lik.setBeta(ws.trial)
      next = lik.loglik(alpha) - penaltyValue(ws.trial, penalty)
      if (next >= floor) break
      t /= 2
    }
    if (!(next >= floor)) {
      lik.setBeta(beta)
      const small = maxDir < Math.max(stepTol, 1e-8)
      return { beta, objective, iterations: it, converged: small, reason: small ? "no further ascent (at the optimum to rounding)" : "line search failed" }
    }
    beta.set(ws.trial)
    const change = next - objective
    objective = next
    // The full IRLS step measures the distance to the optimum; the log-likelihood change alone does not.
    if (Math.abs(change) <= tol * Math.abs(objective) && maxDir < stepTol) {
      return { beta, objective, iterations: it, converged: true, reason: `log-likelihood change < ${tol} relative` }
    }
  }
  return { beta, objective, iterations: maxIterations, converged: false, reason: `no convergence in ${maxIterations} iterations` }
}
