/**
 * Gaussian log-likelihood from the filter's sufficient sums (see kalman.ts):
 *
 *   ℓ(b, σ²) = −½ Σ_diffuse (log 2π + log F_∞,t) − ½ [ n (log 2π + log σ²) + Σ log F_t + Q(b) / σ² ],
 *   Q(b) = S₀₀ − 2 bᵀ S_b0 + bᵀ S_bb b,
 *
 * with n the non-diffuse observations. Profiling: b̂ = S_bb⁻¹ S_b0 (GLS), σ̂² = Q(b̂) / n, so
 *   ℓ_p = −½ Σ_diffuse (…) − ½ [ n (log 2π + 1 + log σ̂²) + Σ log F_t ].
 */
import type { FilterResult } from "./kalman"
import { solveLinear } from "./lyapunov"

const LOG_2PI = Math.log(2 * Math.PI)

export const quadraticForm = (fr: FilterResult, b: ArrayLike<number>): number => {
  const { S, cols } = fr
  let q = S[0]!
  for (let i = 1; i < cols; i++) {
    const bi = b[i - 1]!
    q -= 2 * bi * S[i]!
    for (let j = 1; j < cols; j++) q += bi * b[j - 1]! * S[i * cols + j]!
  }
  return q
}

const diffuseTerm = (fr: FilterResult): number => -0.5 * (fr.nDiffuse * LOG_2PI + fr.sumLogFinf)

/** Full log-likelihood at regression coefficients b (length cols − 1) and σ². */
export const loglikAt = (fr: FilterResult, b: ArrayLike<number>, sigma2: number): number =>
  diffuseTerm(fr) - 0.5 * (fr.nObs * (LOG_2PI + Math.log(sigma2)) + fr.sumLogF + quadraticForm(fr, b) / sigma2)

export interface Profile {
  readonly loglik: number
  readonly b: Float64Array
  readonly sigma2: number
}

/** Profile likelihood (b and σ² at their conditional optimum), or undefined when S_bb is singular. */
export const profileLoglik = (fr: FilterResult): Profile | undefined => {
  const { S, cols } = fr
  const k = cols - 1
  const b = new Float64Array(k)
  if (k > 0) {
    const A = new Float64Array(k * k)
    for (let i = 0; i < k; i++) {
      b[i] = S[i + 1]!
      for (let j = 0; j < k; j++) A[i * k + j] = S[(i + 1) * cols + j + 1]!
    }
    if (!solveLinear(A, b, k)) return undefined
  }
  const q = quadraticForm(fr, b)
  const sigma2 = q / fr.nObs
  if (!(sigma2 > 0) || !Number.isFinite(sigma2)) return undefined
  const loglik = diffuseTerm(fr) - 0.5 * (fr.nObs * (LOG_2PI + 1 + Math.log(sigma2)) + fr.sumLogF)
  return { loglik, b, sigma2 }
}

/** ∂ℓ/∂b (length cols − 1) and ∂ℓ/∂σ², analytic. */
export const regressionGradient = (fr: FilterResult, b: ArrayLike<number>, sigma2: number): Float64Array => {
  const { S, cols } = fr
  const k = cols - 1
  const g = new Float64Array(k + 1)
  for (let i = 0; i < k; i++) {
    let s = S[i + 1]!
    for (let j = 0; j < k; j++) s -= S[(i + 1) * cols + j + 1]! * b[j]!
    g[i] = s / sigma2
  }
  g[k] = -fr.nObs / (2 * sigma2) + quadraticForm(fr, b) / (2 * sigma2 * sigma2)
  return g
}

/** Hessian of ℓ in (b, σ²), analytic, (k+1)×(k+1). */
export const regressionHessian = (fr: FilterResult, b: ArrayLike<number>, sigma2: number): Float64Array => {
  const { S, cols } = fr
  const k = cols - 1
  const H = new Float64Array((k + 1) * (k + 1))
  const s4 = sigma2 * sigma2
  for (let i = 0; i < k; i++) {
    let r = -S[i + 1]!
    for (let j = 0; j < k; j++) {
      H[i * (k + 1) + j] = -S[(i + 1) * cols + j + 1]! / sigma2
      r += S[(i + 1) * cols + j + 1]! * b[j]!
    }
    H[i * (k + 1) + k] = r / s4
    H[k * (k + 1) + i] = r / s4
  }
  H[k * (k + 1) + k] = fr.nObs / (2 * s4) - quadraticForm(fr, b) / (s4 * sigma2)
  return H
}

/** Innovations of the model at b: v_t = v⁽⁰⁾_t − Σ b_c v⁽ᶜ⁾_t (needs a recorded filter run). */
export const innovations = (fr: FilterResult, b: ArrayLike<number>): Float64Array => {
  const { n, cols } = fr
  const vr = fr.v!
  const out = new Float64Array(n)
  for (let t = 0; t < n; t++) {
    let s = vr[t * cols]!
    for (let c = 1; c < cols; c++) s -= b[c - 1]! * vr[t * cols + c]!
    out[t] = s
  }
  return out
}

/** Per-observation log-likelihood (diffuse steps: −½(log 2π + log F_∞)). */
export const loglikObs = (fr: FilterResult, b: ArrayLike<number>, sigma2: number): Float64Array => {
  const v = innovations(fr, b)
  const F = fr.F!
  const out = new Float64Array(fr.n)
  for (let t = 0; t < fr.n; t++) {
    if (fr.diffuse![t] === 1) out[t] = -0.5 * (LOG_2PI + Math.log(F[t]!))
    else {
      const f = sigma2 * F[t]!
      out[t] = -0.5 * (LOG_2PI + Math.log(f) + (v[t]! * v[t]!) / f)
    }
  }
  return out
}
