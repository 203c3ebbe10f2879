/**
 * ML for the NB2 dispersion α with μ held fixed: safeguarded Newton on θ = log α (α > 0 for free, and
 * the profile log-likelihood is far closer to quadratic in log α than in α). With g = ∂ℓ/∂α and
 * h = ∂²ℓ/∂α² (digamma/trigamma differences, see loglik.ts): ∂ℓ/∂θ = αg, ∂²ℓ/∂θ² = α²h + αg.
 *
 * When the data are not overdispersed the likelihood keeps rising as α → 0: below ALPHA_MIN the
 * estimate is set to exactly 0, the Poisson model (reported as a boundary solution).
 */
import type { Nb2Likelihood } from "./loglik"

export const ALPHA_MIN = 1e-8
export const ALPHA_MAX = 1e6
/** Largest change of log α in one Newton step (a factor e³). */
export const MAX_LOG_ALPHA_STEP = 3

export interface AlphaMle {
  readonly alpha: number
  readonly llf: number
  readonly iterations: number
  readonly boundary: boolean
}

/** ∂ℓ/∂θ and ∂²ℓ/∂θ² at α (θ = log α), for the current μ of `lik`. */
export const logAlphaDerivatives = (lik: Nb2Likelihood, alpha: number): { readonly g: number; readonly h: number } => {
  const [g, h] = lik.alphaDerivatives(alpha)
  return { g: alpha * g, h: alpha * alpha * h + alpha * g }
}

/**
 * A safeguarded Newton step in θ: the Newton step where the profile is concave, else a unit step uphill;
 * clamped to MAX_LOG_ALPHA_STEP.
 */
export const logAlphaStep = (g: number, h: number): number => {
  const step = h < 0 ? -g / h : Math.sign(g)
  return Math.max(-MAX_LOG_ALPHA_STEP, Math.min(MAX_LOG_ALPHA_STEP, step))
}

/** Maximises ℓ over α for the μ currently set in `lik`, from `alpha0` > 0. */
export const maximizeAlpha = (lik: Nb2Likelihood, alpha0: number, tol = 1e-12, maxIterations = 100): AlphaMle => {
  let theta = Math.log(Math.min(ALPHA_MAX, Math.max(alpha0, ALPHA_MIN)))
  let llf = lik.loglik(Math.exp(theta))
  for (let it = 1; it <= maxIterations; it++) {
    const alpha = Math.exp(theta)
    const { g, h } = logAlphaDerivatives(lik, alpha)
    if (alpha <= ALPHA_MIN * 1.0000001 && g <= 0) {
      return { alpha: 0, llf: lik.loglik(0), iterations: it, boundary: true }
    }
    let step = logAlphaStep(g, h)
    let next = llf
    let t = theta
    for (let halving = 0; halving < 40; halving++) {
      t = Math.min(Math.log(ALPHA_MAX), Math.max(Math.log(ALPHA_MIN), theta + step))
      next = lik.loglik(Math.exp(t))
      if (next >= llf) break
      step /= 2
    }
    if (!(next >= llf)) return { alpha, llf, iterations: it, boundary: false }
    const change = next - llf
    const moved = Math.abs(t - theta)
    theta = t
    llf = next
    if (moved < 1e-12 || change <= tol * Math.abs(llf)) {
      if (Math.exp(theta) <= ALPHA_MIN * 1.0000001 && logAlphaDerivatives(lik, Math.exp(theta)).g <= 0) {
        return { alpha: 0, llf: lik.loglik(0), iterations: it, boundary: true }
      }
      return { alpha: Math.exp(theta), llf, iterations: it, boundary: false }
    }
  }
  return { alpha: Math.exp(theta), llf, iterations: maxIterations, boundary: false }
}

/** Method-of-moments start: α ≈ Σ((y−μ)² − μ) / Σμ², floored at 0.05 (statsmodels' floor). */
export const momentAlpha = (y: Float64Array, mu: Float64Array): number => {
  let num = 0
  let den = 0
  for (let i = 0; i < y.length; i++) {
    const d = y[i]! - mu[i]!
    num += d * d - mu[i]!
    den += mu[i]! * mu[i]!
  }
  const a = num / den
  return Number.isFinite(a) ? Math.max(0.05, a) : 0.05
}
