/**
 * Analytic gradient of the log-likelihood with respect to the natural ARMA parameters ψ, by reverse-mode
 * (adjoint) differentiation of the stationary fast-path filter (d = D = 0), at fixed (b, σ²). At the
 * profiled (b̂, σ̂²) this is also the gradient of the profile likelihood (envelope theorem).
 *
 * Forward (kalman.ts, with v = z − a[0], F = P[0,0], p = P[·,0], u = (p_1, …, p_{m−1}, 0)):
 *   a⁺[i] = φ̃_{i+1} z + a[i+1] + u_i v/F + ι e₀,   P⁺ = S P Sᵀ − u uᵀ/F + R Rᵀ,   ℓ_t = −½(log σ²F + v²/(σ²F)).
 * Backward, with adjoints ā (m) and P̄ (symmetric m×m):
 *   F̄ = uᵀP̄⁺u/F² − (ā⁺·u) v/F² − ½(1/F − v²/(σ²F²)),   p̄_{i+1} = −2 (P̄⁺u)_i/F + ā⁺_i v/F,
 *   ā[0] = −(ā⁺·u)/F + v/(σ²F),  ā[i+1] = ā⁺_i,   P̄ = S P̄⁺ Sᵀ + (F̄, p̄/2) in row/column 0,
 *   φ̄ += ā⁺ z,   R̄ += 2 P̄⁺ R.
 * Because each step only adds a new row/column 0 and shifts the rest down the diagonal, P̄_t[i,j] equals
 * e_{t+min(i,j)}[|i−j|], where e_s is row 0 of the step-s addition: a ring of m vectors replaces the
 * m×m matrix and the backward step costs one m² product. The parameters enter through φ̃ and R (the
 * expanded polynomials), the initial covariance P₁ and the initial mean a₁; their derivatives with
 * respect to ψ are small forward-mode computations (lyapunov.ts, arma-params.ts).
 */
import { polynomialTangents } from "./arma-params"
import type { FilterData, FilterResult } from "./kalman"
import { stationaryCovarianceDual, stationaryMeanTangent } from "./lyapunov"
import type { SarimaxOrder, StateSpace } from "./state-space"

/** Indices i where R_i = θ̃_i may be non-zero (0 included: R_0 = 1). */
export const maSupport = (o: SarimaxOrder, m: number): number[] => {
  const out = new Set<number>()
  for (let i = 0; i <= o.q; i++) for (let j = 0; j <= o.Q; j++) if (i + o.s * j < m) out.add(i + o.s * j)
  return [...out].sort((a, b) => a - b)
}

/** ∂ℓ/∂ψ at (ψ, b, σ²) from a recorded filter run at ψ (d = D = 0); undefined if not applicable. */
export const loglikGradient = (
  o: SarimaxOrder,
  fd: FilterData,
  fr: FilterResult,
  ss: StateSpace,
  psi: Float64Array,
  b: ArrayLike<number>,
  sigma2: number
): Float64Array | undefined => {
  if (ss.r > 0 || fr.pcol === undefined || fr.v === undefined) return undefined
  const { m, R } = ss
  const { n, cols, data, intercept } = fd
  const pcol = fr.pcol
  const vcol = fr.v

  const abar = new Float64Array(m)
  const ring = new Float64Array(m * m) // ring[(s mod m)·m + d] = e_s[d]
  const phiBar = new Float64Array(m)
  const RBar = new Float64Array(m)
  const u = new Float64Array(m)
  const Pu = new Float64Array(m)
  const support = maSupport(o, m)
  const pbar = (t1: number, i: number, j: number): number => {
    const lo = i < j ? i : j
    return t1 + lo >= n ? 0 : ring[((t1 + lo) % m) * m + (i < j ? j - i : i - j)]!
  }
  for (let t = n - 1; t >= 0; t--) {
    const F = pcol[t * m]!
    let v = vcol[t * cols]!
    let z = data[t * cols]!
    for (let c = 1; c < cols; c++) {
      v -= b[c - 1]! * vcol[t * cols + c]!
      z -= b[c - 1]! * data[t * cols + c]!
    }
    for (let i = 0; i < m - 1; i++) u[i] = pcol[t * m + i + 1]!
    u[m - 1] = 0
    // P̄_{t+1}[i][j] = e_{t+1+min(i,j)}[|i−j|] (zero past the last observation): row j of the ring
    // (s = t+1+j) feeds (P̄u)_j through its entries d ≥ 0 and (P̄u)_{j+d} through d ≥ 1.
    Pu.fill(0)
    for (let j = 0; j < m && t + 1 + j < n; j++) {
      const base = ((t + 1 + j) % m) * m
      const uj = u[j]!
      let own = ring[base]! * uj
      for (let d = 1; j + d < m; d++) {
        const e = ring[base + d]!
        own += e * u[j + d]!
        Pu[j + d]! += e * uj
      }
      Pu[j]! += own
    }
    // R̄ only where R can depend on ψ (the structural support of the expanded MA polynomial).
    for (const i of support) {
      let r = 0
      for (const j of support) r += pbar(t + 1, i, j) * R[j]!
      RBar[i]! += 2 * r
    }
    let uPu = 0
    for (let i = 0; i < m; i++) uPu += u[i]! * Pu[i]!
    let au = 0
    for (let i = 0; i < m; i++) {
      au += abar[i]! * u[i]!
      phiBar[i]! += abar[i]! * z
    }
    const invF = 1 / F
    const Fbar = uPu * invF * invF - au * v * invF * invF - 0.5 * (invF - (v * v) / (sigma2 * F * F))
    const slot = (t % m) * m
    ring[slot] = Fbar
    for (let d = 1; d < m; d++) ring[slot + d] = 0.5 * (-2 * Pu[d - 1]! * invF + abar[d - 1]! * v * invF)
    for (let i = m - 1; i >= 1; i--) abar[i] = abar[i - 1]!
    abar[0] = -au * invF + v / (sigma2 * F)
  }

  // Chain to ψ: ℓ depends on ψ through φ̃, R, P₁ and a₁ (all differentiated analytically).
  let iota0 = 0
  if (intercept !== undefined) for (let c = 1; c < cols; c++) iota0 -= b[c - 1]! * intercept[c]!
  const tangents = polynomialTangents(o, psi)
  const dual = stationaryCovarianceDual(ss, tangents)
  if (dual === undefined) return undefined
  const g = new Float64Array(psi.length)
  tangents.forEach((tg, kk) => {
    const dP = dual.dP[kk]!
    const da = stationaryMeanTangent(ss, iota0, tg.dAr)
    let s = 0
    for (let i = 0; i < m; i++) {
      if (i < tg.dAr.length) s += phiBar[i]! * tg.dAr[i]!
      if (i >= 1 && i - 1 < tg.dMa.length) s += RBar[i]! * tg.dMa[i - 1]!
      s += abar[i]! * da[i]!
      for (let j = 0; j < m; j++) {
        const lo = i < j ? i : j
        const e = lo >= n ? 0 : ring[(lo % m) * m + (i < j ? j - i : i - j)]!
        s += e * dP[i * m + j]!
      }
    }
    g[kk] = s
  })
  return g
}
