/**
 * Parameter layout and transforms.
 *
 * Natural vector p = [baseline (K), α, β, γ?]: baseline is μ (K=1), μ_0..μ_23 (K=24) or
 * μ_0..μ_23, w_1..w_6 (K=30, Tuesday..Sunday factors; w_0 = 1 for Monday). The likelihood loop works on
 * the per-bin rates r_b (1, 24 or 168 of them); `binJacobian` maps bin-level derivatives to p.
 *
 * Unconstrained vector θ for the optimiser: log of every baseline entry and of β, logit α, γ as is.
 * Every transform is coordinate-wise, so the chain rule is a diagonal scaling.
 */
import type { HawkesBaseline, HawkesParams } from "./types"
import { binsOf } from "./data"

export interface HawkesLayout {
  readonly baseline: HawkesBaseline
  readonly nBins: number
  /** Number of baseline parameters K. */
  readonly k: number
  readonly iAlpha: number
  readonly iBeta: number
  /** Index of γ, or -1 when the exogenous term is off. */
  readonly iGamma: number
  /** Length of p (and θ). */
  readonly n: number
}

export const hawkesLayout = (baseline: HawkesBaseline, exogenous: boolean): HawkesLayout => {
  const k = baseline === "constant" ? 1 : baseline === "hour_of_day" ? 24 : 30
  return { baseline, nBins: binsOf(baseline), k, iAlpha: k, iBeta: k + 1, iGamma: exogenous ? k + 2 : -1, n: k + (exogenous ? 3 : 2) }
}

/** Per-bin baseline rates r_b from p. */
export const binRates = (layout: HawkesLayout, p: ArrayLike<number>, out: Float64Array): void => {
  if (layout.baseline !== "hour_of_day_day_of_week") {
    for (let b = 0; b < layout.nBins; b++) out[b] = p[b]!
    return
  }
  for (let d = 0; d < 7; d++) {
    const w = d === 0 ? 1 : p[23 + d]!
    for (let h = 0; h < 24; h++) out[d * 24 + h] = p[h]! * w
  }
}

/**
 * Derivatives over bins, α, β, γ (length nBins + 3, layout of likelihood.ts) to derivatives over p.
 * gBins: the bin-level gradient; for the Hessian, also the dense (nBins+3)² bin-level Hessian.
 */
export const gradientToNatural = (layout: HawkesLayout, p: ArrayLike<number>, gBins: Float64Array, out: Float64Array): void => {
  const B = layout.nBins
  if (layout.baseline !== "hour_of_day_day_of_week") {
    for (let b = 0; b < B; b++) out[b] = gBins[b]!
  } else {
    for (let j = 0; j < 30; j++) out[j] = 0
    for (let d = 0; d < 7; d++) {
      const w = d === 0 ? 1 : p[23 + d]!
      for (let h = 0; h < 24; h++) {
        const g = gBins[d * 24 + h]!
        out[h]! += w * g
        if (d > 0) out[23 + d]! += p[h]! * g
      }
    }
  }
  out[layout.iAlpha] = gBins[B]!
  out[layout.iBeta] = gBins[B + 1]!
  if (layout.iGamma >= 0) out[layout.iGamma] = gBins[B + 2]!
}

/** Dense Jacobian ∂(r, α, β, γ)/∂p, (nBins+3) × n, row-major. */
const binJacobian = (layout: HawkesLayout, p: ArrayLike<number>): Float64Array => {
  const B = layout.nBins
  const n = layout.n
  const J = new Float64Array((B + 3) * n)
  if (layout.baseline !== "hour_of_day_day_of_week") {
    for (let b = 0; b < B; b++) J[b * n + b] = 1
  } else {
    for (let d = 0; d < 7; d++) {
      for (let h = 0; h < 24; h++) {
        const row = (d * 24 + h) * n
        J[row + h] = d === 0 ? 1 : p[23 + d]!
        if (d > 0) J[row + 23 + d] = p[h]!
      }
    }
  }
  J[B * n + layout.iAlpha] = 1
  J[(B + 1) * n + layout.iBeta] = 1
  if (layout.iGamma >= 0) J[(B + 2) * n + layout.iGamma] = 1
  return J
}

/** Natural-parameter Hessian H_p = Jᵀ H_bins J + Σ_b g_b ∇²r_b (the last term only for day-of-week factors). */
export const hessianToNatural = (layout: HawkesLayout, p: ArrayLike<number>, gBins: Float64Array, hBins: Float64Array): Float64Array => {
  const m = layout.nBins + 3
  const n = layout.n
  const J = binJacobian(layout, p)
  const HJ = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const h = hBins[i * m + k]!
      if (h === 0) continue
      for (let j = 0; j < n; j++) HJ[i * n + j]! += h * J[k * n + j]!
    }
  }
  const H = new Float64Array(n * n)
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) {
      const jki = J[k * n + i]!
      if (jki === 0) continue
      for (let j = 0; j < n; j++) H[i * n + j]! += jki * HJ[k * n + j]!
    }
  }
  if (layout.baseline === "hour_of_day_day_of_week") {
    for (let d = 1; d < 7; d++) {
      for (let h = 0; h < 24; h++) {
        const g = gBins[d * 24 + h]!
        H[h * n + 23 + d]! += g
        H[(23 + d) * n + h]! += g
      }
    }
  }
  return H
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))

/** θ → p. */
export const toNatural = (layout: HawkesLayout, theta: ArrayLike<number>, out: Float64Array): void => {
  for (let j = 0; j < layout.k; j++) out[j] = Math.exp(theta[j]!)
  out[layout.iAlpha] = sigmoid(theta[layout.iAlpha]!)
  out[layout.iBeta] = Math.exp(theta[layout.iBeta]!)
  if (layout.iGamma >= 0) out[layout.iGamma] = theta[layout.iGamma]!
}

/** p → θ. */
export const toTheta = (layout: HawkesLayout, p: ArrayLike<number>): Float64Array => {
  const th = new Float64Array(layout.n)
  for (let j = 0; j < layout.k; j++) th[j] = Math.log(p[j]!)
  const a = p[layout.iAlpha]!
  th[layout.iAlpha] = Math.log(a / (1 - a))
  th[layout.iBeta] = Math.log(p[layout.iBeta]!)
  if (layout.iGamma >= 0) th[layout.iGamma] = p[layout.iGamma]!
  return th
}

/** dp_j/dθ_j and d²p_j/dθ_j² at p (coordinate-wise transforms). */
export const transformDerivatives = (layout: HawkesLayout, p: ArrayLike<number>, d1: Float64Array, d2: Float64Array): void => {
  for (let j = 0; j < layout.n; j++) {
    if (j === layout.iAlpha) {
      const a = p[j]!
      d1[j] = a * (1 - a)
      d2[j] = a * (1 - a) * (1 - 2 * a)
    } else if (j === layout.iGamma) {
      d1[j] = 1
      d2[j] = 0
    } else {
      d1[j] = p[j]!
      d2[j] = p[j]!
    }
  }
}

/** p as a flat vector from named parameters (validating lengths and ranges). */
export const packParams = (layout: HawkesLayout, params: HawkesParams): Float64Array => {
  const p = new Float64Array(layout.n)
  const nMu = layout.baseline === "constant" ? 1 : 24
  if (params.mu.length !== nMu) throw new RangeError(`${layout.baseline} baseline needs ${nMu} levels, got ${params.mu.length}`)
  for (let j = 0; j < nMu; j++) p[j] = params.mu[j]!
  if (layout.baseline === "hour_of_day_day_of_week") {
    const w = params.dayOfWeek
    if (w === undefined || w.length !== 7) throw new RangeError("day-of-week baseline needs 7 factors")
    if (Math.abs(w[0]! - 1) > 1e-12) throw new RangeError("day-of-week factors are relative to Monday: dayOfWeek[0] must be 1")
    for (let d = 1; d < 7; d++) p[23 + d] = w[d]!
  }
  p[layout.iAlpha] = params.alpha
  p[layout.iBeta] = params.beta
  if (layout.iGamma >= 0) p[layout.iGamma] = params.gamma
  for (let j = 0; j < layout.k; j++) if (!(p[j]! > 0)) throw new RangeError("baseline levels and factors must be > 0")
  if (!(params.alpha >= 0 && params.alpha < 1)) throw new RangeError(`alpha must be in [0,1), got ${params.alpha}`)
  if (!(params.beta > 0)) throw new RangeError(`beta must be > 0, got ${params.beta}`)
  return p
}

export const unpackParams = (layout: HawkesLayout, p: ArrayLike<number>): HawkesParams => {
  const nMu = layout.baseline === "constant" ? 1 : 24
  return {
    mu: Array.from({ length: nMu }, (_, j) => p[j]!),
    ...(layout.baseline === "hour_of_day_day_of_week" ? { dayOfWeek: [1, ...Array.from({ length: 6 }, (_, d) => p[24 + d]!)] } : {}),
    alpha: p[layout.iAlpha]!,
    beta: p[layout.iBeta]!,
    gamma: layout.iGamma >= 0 ? p[layout.iGamma]! : 0
  }
}
