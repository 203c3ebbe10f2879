/**
 * Exact Hawkes log-likelihood on [0, T] in O(N), with its analytic gradient and Hessian.
 *
 *   λ(t)  = r_{b(t)} e^{γ x(t)} + Σ_{t_j < t} α β e^{−β (t − t_j)}
 *   ll    = Σ_i log λ(t_i) − Σ_b r_b E_b(γ) − α Σ_i (1 − e^{−β (T − t_i)})
 *
 * with E_b(γ) = Σ_{hours k in bin b} e^{γ x_k} |k ∩ [0,T]| (the compensator of a piecewise-constant
 * baseline is exact). Recursions over consecutive gaps d_i = t_i − t_{i−1}:
 *   A_i = Σ_{j<i} e^{−β(t_i−t_j)}           = e^{−β d_i} (1 + A_{i−1})
 *   B_i = Σ_{j<i} (t_i−t_j) e^{−β(t_i−t_j)} = e^{−β d_i} (B_{i−1} + d_i (1 + A_{i−1}))
 *   C_i = Σ_{j<i} (t_i−t_j)² e^{…}           = e^{−β d_i} (C_{i−1} + 2 d_i B_{i−1} + d_i² (1 + A_{i−1}))
 * (∂A/∂β = −B, ∂B/∂β = −C). The tail sums at T are the same recursion run to a virtual event at T,
 * so one exp per event suffices.
 *
 * Ties (d_i = 0): the later event is excited by the earlier one with the kernel value αβ, i.e. the
 * limit of an infinitesimal separation in the given order; the recursion does exactly that with d = 0.
 * The index convention j < i is the reference's too.
 *
 * Derivative layout (bin level), length nBins + 3: [∂/∂r_0 … ∂/∂r_{B−1}, ∂/∂α, ∂/∂β, ∂/∂γ].
 */
import type { HawkesData } from "./data"
import { binRates, gradientToNatural, hawkesLayout, packParams } from "./params"
import type { HawkesParams } from "./types"

const PROD_HI = 1e150
const PROD_LO = 1e-150

/** E_b(γ) and, when asked, E'_b(γ), E''_b(γ) (derivatives in γ), into the given arrays. */
const exposures = (data: HawkesData, gamma: number, e0: Float64Array, e1?: Float64Array, e2?: Float64Array): void => {
  e0.set(data.exposure)
  if (e1) e1.fill(0)
  if (e2) e2.fill(0)
  const ex = data.exogenous
  if (ex === undefined) return
  for (let k = 0; k < ex.hourX.length; k++) {
    const b = ex.hourBin[k]!
    const x = ex.hourX[k]!
    const len = ex.hourLength[k]!
    const m = Math.exp(gamma * x)
    e0[b]! += (m - 1) * len
    if (e1) e1[b]! += x * m * len
    if (e2) e2[b]! += x * x * m * len
  }
}

/** Reusable scratch for `logLikelihoodBins` (no allocation per call). */
export interface LikelihoodScratch {
  readonly e0: Float64Array
  readonly e1: Float64Array
}

export const likelihoodScratch = (nBins: number): LikelihoodScratch => ({ e0: new Float64Array(nBins), e1: new Float64Array(nBins) })

/**
 * Log-likelihood at bin rates r, α, β, γ; writes the bin-level gradient into `grad` (length nBins + 3)
 * when given. Returns -Infinity when some λ(t_i) ≤ 0 (a zero baseline with no excitation).
 */
export const logLikelihoodBins = (
  data: HawkesData,
  rates: Float64Array,
  alpha: number,
  beta: number,
  gamma: number,
  grad: Float64Array | undefined,
  scratch: LikelihoodScratch = likelihoodScratch(data.nBins)
): number => {
  const { times, bins, T, nBins } = data
  const n = times.length
  const ex = data.exogenous
  const eventX = ex?.eventX
  const { e0, e1 } = scratch
  exposures(data, gamma, e0, grad ? e1 : undefined)
  const ab = alpha * beta
  let ll = 0
  let sA = 0 // Σ A_i / λ_i
  let sAB = 0 // Σ (A_i − β B_i) / λ_i
  let sX = 0 // Σ x_i r_i e^{γ x_i} / λ_i
  if (grad) grad.fill(0)
  // A starts at −1 so that (1 + A) = 0 before the first event: no branch in the loop.
  let A = -1
  let Bs = 0
  let prev = n > 0 ? times[0]! : 0
  // Σ log λ_i as the log of a running product, flushed before it can over/underflow: one log per
  // few hundred events instead of one per event (the rounding of the product costs ~1e-14 per flush).
  let prod = 1
  if (eventX === undefined && grad !== undefined) {
    // The hot path of every fit: no exogenous term, gradient wanted.
    for (let i = 0; i < n; i++) {
      const t = times[i]!
      const d = t - prev
      prev = t
      const e = Math.exp(-beta * d)
      const a1 = 1 + A
      Bs = e * (Bs + d * a1)
      A = e * a1
      const b = bins[i]!
      const lam = rates[b]! + ab * A
      prod *= lam
      if (prod > PROD_HI || prod < PROD_LO) {
        ll += Math.log(prod)
        prod = 1
      }
      const inv = 1 / lam
      grad[b]! += inv
      sA += A * inv
      sAB += (A - beta * Bs) * inv
    }
  } else {
    for (let i = 0; i < n; i++) {
      const t = times[i]!
      const d = t - prev
      prev = t
      const e = Math.exp(-beta * d)
      const a1 = 1 + A
      Bs = e * (Bs + d * a1)
      A = e * a1
      const b = bins[i]!
      const x = eventX === undefined ? 0 : eventX[i]!
      const mult = x !== 0 ? Math.exp(gamma * x) : 1
      const base = rates[b]! * mult
      const lam = base + ab * A
      prod *= lam
      if (prod > PROD_HI || prod < PROD_LO) {
        ll += Math.log(prod)
        prod = 1
      }
      if (grad) {
        const inv = 1 / lam
        grad[b]! += mult * inv
        sA += A * inv
        sAB += (A - beta * Bs) * inv
        if (x !== 0) sX += x * base * inv
      }
    }
  }
  ll += Math.log(prod)
  // Tail sums at T: S_T = Σ e^{−β(T−t_i)}, BT = Σ (T−t_i) e^{−β(T−t_i)}.
  let sT = 0
  let bT = 0
  if (n > 0) {
    const D = T - prev
    const e = Math.exp(-beta * D)
    sT = e * (1 + A)
    bT = e * (Bs + D * (1 + A))
  }
  let baseComp = 0
  for (let b = 0; b < nBins; b++) baseComp += rates[b]! * e0[b]!
  ll -= baseComp + alpha * (n - sT)
  if (!(ll === ll) || ll === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY
  if (grad) {
    let gGamma = sX
    for (let b = 0; b < nBins; b++) {
      grad[b]! -= e0[b]!
      gGamma -= rates[b]! * e1[b]!
    }
    grad[nBins] = beta * sA - (n - sT)
    grad[nBins + 1] = alpha * sAB - alpha * bT
    grad[nBins + 2] = ex === undefined ? 0 : gGamma
  }
  return ll
}

export interface LikelihoodHessian {
  readonly logLik: number
  /** Bin-level gradient, length m = nBins + 3. */
  readonly grad: Float64Array
  /** Bin-level Hessian, m × m row-major (γ row/column zero when the exogenous term is off). */
  readonly hessian: Float64Array
}

/** Log-likelihood, gradient and analytic Hessian at the bin level (one O(N) pass; used a few times per fit). */
export const logLikelihoodHessianBins = (data: HawkesData, rates: Float64Array, alpha: number, beta: number, gamma: number): LikelihoodHessian => {
  const { times, bins, T, nBins } = data
  const n = times.length
  const m = nBins + 3
  const ia = nBins
  const ib = nBins + 1
  const ig = nBins + 2
  const ex = data.exogenous
  const eventX = ex?.eventX
  const e0 = new Float64Array(nBins)
  const e1 = new Float64Array(nBins)
  const e2 = new Float64Array(nBins)
  exposures(data, gamma, e0, e1, e2)
  const g = new Float64Array(m)
  const H = new Float64Array(m * m)
  const ab = alpha * beta
  // Accumulators (per bin for the rate rows, scalars for the α/β/γ block).
  const hrr = new Float64Array(nBins)
  const hra = new Float64Array(nBins)
  const hrb = new Float64Array(nBins)
  const hrg = new Float64Array(nBins)
  let ll = 0
  let sA = 0
  let sAB = 0
  let sX = 0
  let haa = 0
  let hab1 = 0
  let hab2 = 0
  let hbb1 = 0
  let hbb2 = 0
  let hag = 0
  let hbg = 0
  let hgg = 0
  let A = -1
  let Bs = 0
  let Cs = 0
  let prev = n > 0 ? times[0]! : 0
  let prod = 1
  if (eventX === undefined) {
    // No exogenous term: the γ rows stay zero, and the loop is lighter.
    for (let i = 0; i < n; i++) {
      const t = times[i]!
      const d = t - prev
      prev = t
      const e = Math.exp(-beta * d)
      const a1 = 1 + A
      Cs = e * (Cs + 2 * d * Bs + d * d * a1)
      Bs = e * (Bs + d * a1)
      A = e * a1
      const b = bins[i]!
      const lam = rates[b]! + ab * A
      prod *= lam
      if (prod > PROD_HI || prod < PROD_LO) {
        ll += Math.log(prod)
        prod = 1
      }
      const inv = 1 / lam
      const inv2 = inv * inv
      const dA = beta * A
      const q = A - beta * Bs
      const dB = alpha * q
      g[b]! += inv
      sA += A * inv
      sAB += q * inv
      hrr[b]! -= inv2
      hra[b]! -= dA * inv2
      hrb[b]! -= dB * inv2
      haa -= dA * dA * inv2
      hab1 += q * inv
      hab2 -= dA * dB * inv2
      hbb1 += (beta * Cs - 2 * Bs) * inv
      hbb2 -= dB * dB * inv2
    }
  } else {
    for (let i = 0; i < n; i++) {
      const t = times[i]!
      const d = t - prev
      prev = t
      const e = Math.exp(-beta * d)
      const a1 = 1 + A
      Cs = e * (Cs + 2 * d * Bs + d * d * a1)
      Bs = e * (Bs + d * a1)
      A = e * a1
      const b = bins[i]!
      const x = eventX[i]!
      const mult = x !== 0 ? Math.exp(gamma * x) : 1
      const base = rates[b]! * mult
      const lam = base + ab * A
      prod *= lam
      if (prod > PROD_HI || prod < PROD_LO) {
        ll += Math.log(prod)
        prod = 1
      }
      const inv = 1 / lam
      const inv2 = inv * inv
      const dA = beta * A // ∂λ/∂α
      const q = A - beta * Bs
      const dB = alpha * q // ∂λ/∂β
      const dG = x * base // ∂λ/∂γ
      g[b]! += mult * inv
      sA += A * inv
      sAB += q * inv
      sX += dG * inv
      hrr[b]! -= mult * mult * inv2
      hra[b]! -= mult * dA * inv2
      hrb[b]! -= mult * dB * inv2
      hrg[b]! += x * mult * inv - mult * dG * inv2
      haa -= dA * dA * inv2
      hab1 += q * inv
      hab2 -= dA * dB * inv2
      hbb1 += (beta * Cs - 2 * Bs) * inv
      hbb2 -= dB * dB * inv2
      hag -= dA * dG * inv2
      hbg -= dB * dG * inv2
      hgg += x * dG * inv - dG * dG * inv2
    }
  }
  ll += Math.log(prod)
  let sT = 0
  let bT = 0
  let cT = 0
  if (n > 0) {
    const D = T - prev
    const e = Math.exp(-beta * D)
    sT = e * (1 + A)
    bT = e * (Bs + D * (1 + A))
    cT = e * (Cs + 2 * D * Bs + D * D * (1 + A))
  }
  let baseComp = 0
  let gGamma = sX
  let hgGammaComp = 0
  for (let b = 0; b < nBins; b++) {
    baseComp += rates[b]! * e0[b]!
    g[b]! -= e0[b]!
    gGamma -= rates[b]! * e1[b]!
    hgGammaComp += rates[b]! * e2[b]!
  }
  ll -= baseComp + alpha * (n - sT)
  g[ia] = beta * sA - (n - sT)
  g[ib] = alpha * sAB - alpha * bT
  const hasG = ex !== undefined
  g[ig] = hasG ? gGamma : 0
  for (let b = 0; b < nBins; b++) {
    H[b * m + b] = hrr[b]!
    H[b * m + ia] = H[ia * m + b] = hra[b]!
    H[b * m + ib] = H[ib * m + b] = hrb[b]!
    if (hasG) H[b * m + ig] = H[ig * m + b] = hrg[b]! - e1[b]!
  }
  H[ia * m + ia] = haa
  H[ia * m + ib] = H[ib * m + ia] = hab1 + hab2 - bT
  H[ib * m + ib] = alpha * hbb1 + hbb2 + alpha * cT
  if (hasG) {
    H[ia * m + ig] = H[ig * m + ia] = hag
    H[ib * m + ig] = H[ig * m + ib] = hbg
    H[ig * m + ig] = hgg - hgGammaComp
  }
  return { logLik: ll, grad: g, hessian: H }
}

/**
 * Log-likelihood at named natural parameters; writes ∂ll/∂p into `grad` (layout of params.ts:
 * baseline, α, β, γ?) when given. The exogenous term is on iff `data.exogenous` is present.
 */
export const logLikelihood = (data: HawkesData, params: HawkesParams, grad?: Float64Array): number => {
  const layout = hawkesLayout(data.baseline, data.exogenous !== undefined)
  const p = packParams(layout, params)
  const rates = new Float64Array(layout.nBins)
  binRates(layout, p, rates)
  const gBins = grad ? new Float64Array(layout.nBins + 3) : undefined
  const ll = logLikelihoodBins(data, rates, params.alpha, params.beta, params.gamma, gBins)
  if (grad && gBins) gradientToNatural(layout, p, gBins, grad)
  return ll
}
