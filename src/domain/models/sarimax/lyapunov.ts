/**
 * Stationary initialisation of the ARMA block: mean a = (I − T)⁻¹ c e₀ and the covariance P that solves
 * the discrete Lyapunov equation P = T P Tᵀ + R Rᵀ (σ² = 1; the filter scales by σ²).
 *
 * A dense Lyapunov solve is O(m⁶) by vectorisation or O(m³) by Bartels–Stewart; for the Harvey
 * companion T it is cheaper and exact to use the model's structure:
 *  1. the ARMA autocovariances γ(0..m) and ψ-weights (a (p̃+1)-dimensional linear system),
 *  2. the first row  P[0,j] = Cov(w_t, α_t[j]) = Σ_{k>j} φ̃_k γ(k−j) + Σ_{k≥j} θ̃_k ψ_{k−j},
 *  3. the remaining entries from the Lyapunov equation itself, read entry-wise for the companion form:
 *     P[i,j] = φ̃_{i+1}φ̃_{j+1}P[0,0] + φ̃_{i+1}P[0,j+1] + φ̃_{j+1}P[0,i+1] + P[i+1,j+1] + R_iR_j,
 *     filled from the last row upwards (P[m,·] = 0). Total O(p̃³ + m²).
 */
import { solveLinearInPlace } from "../../stats/linalg"
import type { StateSpace } from "./state-space"

/** Solves A x = b in place (src/domain/stats/linalg.ts); false when singular. */
export const solveLinear = (A: Float64Array, b: Float64Array, n: number): boolean => solveLinearInPlace(A, b, n)

/**
 * A direction of change of the expanded polynomials (derivatives of φ̃ and θ̃ with respect to one
 * parameter): the functions below return the value and its directional derivative for each tangent
 * (forward-mode differentiation written out), which the adjoint gradient needs for P₁ and a₁.
 */
export interface PolyTangent {
  readonly dAr: Float64Array
  readonly dMa: Float64Array
}

const coef = (poly: Float64Array, k: number): number => (k >= 1 && k <= poly.length ? poly[k - 1]! : 0)

/** ψ-weights ψ_0..ψ_{len−1} of the MA(∞) form w_t = Σ ψ_j e_{t−j}, and their tangents. */
export const psiWeights = (arPoly: Float64Array, maPoly: Float64Array, len: number, tangents: ReadonlyArray<PolyTangent> = []) => {
  const psi = new Float64Array(len)
  const dpsi = tangents.map(() => new Float64Array(len))
  for (let j = 0; j < len; j++) {
    let v = j === 0 ? 1 : coef(maPoly, j)
    for (let i = 1; i <= Math.min(j, arPoly.length); i++) v += arPoly[i - 1]! * psi[j - i]!
    psi[j] = v
    tangents.forEach((tg, d) => {
      const dp = dpsi[d]!
      let dv = j === 0 ? 0 : coef(tg.dMa, j)
      for (let i = 1; i <= Math.min(j, arPoly.length); i++) dv += tg.dAr[i - 1]! * psi[j - i]! + arPoly[i - 1]! * dp[j - i]!
      dp[j] = dv
    })
  }
  return { psi, dpsi }
}

/**
 * Autocovariances γ(0..maxLag) of the ARMA process with unit innovation variance (and tangents),
 * or undefined when the AR part is (numerically) non-stationary. Solves the (p̃+1)-dimensional
 * Yule–Walker-type system γ(k) − Σ φ̃_i γ(|k−i|) = Σ_{j≥k} θ̃_j ψ_{j−k}, then recurses for larger lags.
 */
export const armaAutocovariance = (
  arPoly: Float64Array,
  maPoly: Float64Array,
  maxLag: number,
  tangents: ReadonlyArray<PolyTangent> = []
): { gamma: Float64Array; dgamma: Float64Array[] } | undefined => {
  const p = arPoly.length
  const q = maPoly.length
  const { psi, dpsi } = psiWeights(arPoly, maPoly, q + 1, tangents)
  const theta = (k: number): number => (k === 0 ? 1 : coef(maPoly, k))
  const rhs = (k: number): number => {
    let s = 0
    for (let j = k; j <= q; j++) s += theta(j) * psi[j - k]!
    return s
  }
  const drhs = (d: number, k: number): number => {
    const tg = tangents[d]!
    let s = 0
    for (let j = k; j <= q; j++) s += (j === 0 ? 0 : coef(tg.dMa, j)) * psi[j - k]! + theta(j) * dpsi[d]![j - k]!
    return s
  }
  const n = p + 1
  const system = (): Float64Array => {
    const A = new Float64Array(n * n)
    for (let k = 0; k < n; k++) {
      A[k * n + k]! += 1
      for (let i = 1; i <= p; i++) A[k * n + Math.abs(k - i)]! -= arPoly[i - 1]!
    }
    return A
  }
  const b = new Float64Array(n)
  for (let k = 0; k < n; k++) b[k] = rhs(k)
  if (!solveLinear(system(), b, n)) return undefined
  const len = Math.max(maxLag + 1, n)
  const gamma = new Float64Array(len)
  gamma.set(b)
  for (let k = n; k < len; k++) {
    let s = rhs(k)
    for (let i = 1; i <= p; i++) s += arPoly[i - 1]! * gamma[k - i]!
    gamma[k] = s
  }
  if (!(gamma[0]! > 0) || !gamma.every(Number.isFinite)) return undefined
  // Tangents: A dγ = drhs − dA γ, with dA[k][|k−i|] = −dφ̃_i.
  const dgamma = tangents.map((tg, d) => {
    const db = new Float64Array(n)
    for (let k = 0; k < n; k++) {
      let s = drhs(d, k)
      for (let i = 1; i <= p; i++) s += tg.dAr[i - 1]! * gamma[Math.abs(k - i)]!
      db[k] = s
    }
    solveLinear(system(), db, n)
    const dg = new Float64Array(len)
    dg.set(db)
    for (let k = n; k < len; k++) {
      let s = drhs(d, k)
      for (let i = 1; i <= p; i++) s += tg.dAr[i - 1]! * gamma[k - i]! + arPoly[i - 1]! * dg[k - i]!
      dg[k] = s
    }
    return dg
  })
  return { gamma, dgamma }
}

/**
 * Stationary covariance (σ² = 1) of the ARMA block, m×m row-major, full symmetric, with one
 * derivative matrix per tangent; undefined when the AR polynomial is not stationary.
 */
export const stationaryCovarianceDual = (
  ss: StateSpace,
  tangents: ReadonlyArray<PolyTangent> = []
): { P: Float64Array; dP: Float64Array[] } | undefined => {
  const { m, arPoly, maPoly } = ss
  const ac = armaAutocovariance(arPoly, maPoly, m, tangents)
  if (ac === undefined) return undefined
  const { psi, dpsi } = psiWeights(arPoly, maPoly, m, tangents)
  const fill = (phi: (k: number) => number, R: (k: number) => number, g: (k: number) => number, ps: (k: number) => number,
    dphi: (k: number) => number, dR: (k: number) => number, dg: (k: number) => number, dps: (k: number) => number, tangent: boolean): Float64Array => {
    const P = new Float64Array(m * m)
    // Row 0: P[0,j] = Σ_{k>j} φ̃_k γ(k−j) + Σ_{k≥j} θ̃_k ψ_{k−j} (θ̃_0 = 1); product rule on a tangent.
    for (let j = 0; j < m; j++) {
      let s = 0
      for (let k = j + 1; k <= m; k++) s += tangent ? dphi(k) * g(k - j) + phi(k) * dg(k - j) : phi(k) * g(k - j)
      for (let k = j; k < m; k++) s += tangent ? dR(k) * ps(k - j) + R(k) * dps(k - j) : R(k) * ps(k - j)
      P[j] = s
    }
    return P
  }
  const phiK = (k: number): number => coef(arPoly, k)
  const RK = (k: number): number => (k === 0 ? 1 : coef(maPoly, k))
  const P = fill(phiK, RK, (k) => ac.gamma[k]!, (k) => psi[k]!, () => 0, () => 0, () => 0, () => 0, false)
  fillRows(m, P, phiK, RK, undefined)
  const dP = tangents.map((tg, d) => {
    const dphiK = (k: number): number => coef(tg.dAr, k)
    const dRK = (k: number): number => (k === 0 ? 0 : coef(tg.dMa, k))
    const D = fill(phiK, RK, (k) => ac.gamma[k]!, (k) => psi[k]!, dphiK, dRK, (k) => ac.dgamma[d]![k]!, (k) => dpsi[d]![k]!, true)
    fillRows(m, D, dphiK, dRK, { P, phi: phiK, R: RK })
    return D
  })
  return { P, dP }
}

/**
 * Rows 1..m−1 from row 0 by the entry-wise Lyapunov equation (bottom row first), then the lower triangle.
 * With `base` given, fills the tangent of P instead (product rule; `phi`/`R` are then the tangents).
 */
const fillRows = (
  m: number,
  P: Float64Array,
  phi: (k: number) => number,
  R: (k: number) => number,
  base: { P: Float64Array; phi: (k: number) => number; R: (k: number) => number } | undefined
): void => {
  const g0 = P[0]!
  for (let i = m - 1; i >= 1; i--) {
    const p0i1 = i + 1 < m ? P[i + 1]! : 0
    for (let j = i; j < m; j++) {
      const p0j1 = j + 1 < m ? P[j + 1]! : 0
      const next = i + 1 < m && j + 1 < m ? P[(i + 1) * m + j + 1]! : 0
      if (base === undefined) {
        const fi = phi(i + 1)
        const fj = phi(j + 1)
        P[i * m + j] = fi * fj * g0 + fi * p0j1 + fj * p0i1 + next + R(i) * R(j)
      } else {
        const B = base.P
        const fi = base.phi(i + 1)
        const fj = base.phi(j + 1)
        const dfi = phi(i + 1)
        const dfj = phi(j + 1)
        const bg0 = B[0]!
        const b0j1 = j + 1 < m ? B[j + 1]! : 0
        const b0i1 = i + 1 < m ? B[i + 1]! : 0
        P[i * m + j] =
          (dfi * fj + fi * dfj) * bg0 + fi * fj * g0 +
          dfi * b0j1 + fi * p0j1 + dfj * b0i1 + fj * p0i1 + next +
          R(i) * base.R(j) + base.R(i) * R(j)
      }
    }
  }
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) P[j * m + i] = P[i * m + j]!
}

/** Stationary covariance (σ² = 1) of the ARMA block, or undefined when not stationary. */
export const stationaryCovariance = (ss: StateSpace): Float64Array | undefined => stationaryCovarianceDual(ss)?.P

/** Stationary mean of the ARMA block for a constant state intercept `c` (on state 0): (I − T)⁻¹ c e₀. */
export const stationaryMean = (ss: StateSpace, c: number, out: Float64Array = new Float64Array(ss.m)): Float64Array => {
  const { m, phi } = ss
  let sumPhi = 0
  for (let k = 0; k < m; k++) sumPhi += phi[k]!
  const a0 = c / (1 - sumPhi)
  // a_i = a0 Σ_{k>i} φ̃_k (from the bottom row of (I − T) a = c e₀ upwards).
  let tail = 0
  for (let i = m - 1; i >= 1; i--) {
    tail += phi[i]!
    out[i] = a0 * tail
  }
  out[0] = a0
  return out
}

/** Tangent of `stationaryMean` along dφ̃ (length ≤ m, index k − 1). */
export const stationaryMeanTangent = (ss: StateSpace, c: number, dAr: Float64Array): Float64Array => {
  const { m, phi } = ss
  let sumPhi = 0
  let dSum = 0
  for (let k = 0; k < m; k++) {
    sumPhi += phi[k]!
    dSum += k < dAr.length ? dAr[k]! : 0
  }
  const a0 = c / (1 - sumPhi)
  const da0 = (c * dSum) / ((1 - sumPhi) * (1 - sumPhi))
  const out = new Float64Array(m)
  let tail = 0
  let dTail = 0
  for (let i = m - 1; i >= 1; i--) {
    tail += phi[i]!
    dTail += i < dAr.length ? dAr[i]! : 0
    out[i] = da0 * tail + a0 * dTail
  }
  out[0] = da0
  return out
}
