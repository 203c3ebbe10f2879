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
import type { StateSpace } from "./state-space"

/** Solves A x = b in place by Gaussian elimination with partial pivoting; returns false when singular. */
export const solveLinear = (A: Float64Array, b: Float64Array, n: number): boolean => {
  for (let col = 0; col < n; col++) {
    let piv = col
    let best = Math.abs(A[col * n + col]!)
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(A[r * n + col]!)
      if (v > best) {
        best = v
        piv = r
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) return false
    if (piv !== col) {
      for (let c = 0; c < n; c++) {
        const t = A[col * n + c]!
        A[col * n + c] = A[piv * n + c]!
        A[piv * n + c] = t
      }
      const t = b[col]!
      b[col] = b[piv]!
      b[piv] = t
    }
    const d = A[col * n + col]!
    for (let r = col + 1; r < n; r++) {
      const f = A[r * n + col]! / d
      if (f === 0) continue
      for (let c = col; c < n; c++) A[r * n + c]! -= f * A[col * n + c]!
      b[r]! -= f * b[col]!
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!
    for (let c = r + 1; c < n; c++) s -= A[r * n + c]! * b[c]!
    b[r] = s / A[r * n + r]!
  }
  return true
}

/** ψ-weights ψ_0..ψ_{len−1} of the MA(∞) form w_t = Σ ψ_j e_{t−j}. */
export const psiWeights = (arPoly: Float64Array, maPoly: Float64Array, len: number): Float64Array => {
  const psi = new Float64Array(len)
  for (let j = 0; j < len; j++) {
    let v = j === 0 ? 1 : j <= maPoly.length ? maPoly[j - 1]! : 0
    for (let i = 1; i <= Math.min(j, arPoly.length); i++) v += arPoly[i - 1]! * psi[j - i]!
    psi[j] = v
  }
  return psi
}

/**
 * Autocovariances γ(0..maxLag) of the ARMA process with unit innovation variance,
 * or undefined when the AR part is (numerically) non-stationary.
 */
export const armaAutocovariance = (arPoly: Float64Array, maPoly: Float64Array, maxLag: number): Float64Array | undefined => {
  const p = arPoly.length
  const q = maPoly.length
  const psi = psiWeights(arPoly, maPoly, q + 1)
  const theta = (k: number): number => (k === 0 ? 1 : k <= q ? maPoly[k - 1]! : 0)
  // rhs_k = Σ_{j=k}^{q} θ_j ψ_{j−k} = Cov(w_t's MA part, w_{t−k}) for k ≤ q, else 0.
  const rhs = (k: number): number => {
    let s = 0
    for (let j = k; j <= q; j++) s += theta(j) * psi[j - k]!
    return s
  }
  const n = p + 1
  const A = new Float64Array(n * n)
  const b = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    A[k * n + k]! += 1
    for (let i = 1; i <= p; i++) A[k * n + Math.abs(k - i)]! -= arPoly[i - 1]!
    b[k] = rhs(k)
  }
  if (!solveLinear(A, b, n)) return undefined
  const gamma = new Float64Array(Math.max(maxLag + 1, n))
  gamma.set(b)
  for (let k = n; k <= maxLag; k++) {
    let s = rhs(k)
    for (let i = 1; i <= p; i++) s += arPoly[i - 1]! * gamma[k - i]!
    gamma[k] = s
  }
  if (!(gamma[0]! > 0) || !gamma.every(Number.isFinite)) return undefined
  return gamma.subarray(0, maxLag + 1)
}

/**
 * Stationary covariance (σ² = 1) of the ARMA block, m×m row-major, full symmetric,
 * or undefined when the AR polynomial is not stationary.
 */
export const stationaryCovariance = (ss: StateSpace): Float64Array | undefined => {
  const { m, phi, R, arPoly, maPoly } = ss
  const gamma = armaAutocovariance(arPoly, maPoly, m)
  if (gamma === undefined) return undefined
  const psi = psiWeights(arPoly, maPoly, m)
  const P = new Float64Array(m * m)
  // Row 0: covariances of w_t with α_t[j] = Σ_{k>j} φ̃_k w_{t+j−k} + Σ_{k≥j} θ̃_k e_{t+j−k}.
  for (let j = 0; j < m; j++) {
    let s = 0
    for (let k = j + 1; k <= m; k++) s += phi[k - 1]! * gamma[k - j]!
    for (let k = j; k < m; k++) s += R[k]! * psi[k - j]!
    P[j] = s
  }
  const g0 = P[0]!
  for (let i = m - 1; i >= 1; i--) {
    const fi = phi[i]!
    const p0i1 = i + 1 < m ? P[i + 1]! : 0
    for (let j = i; j < m; j++) {
      const fj = phi[j]!
      const p0j1 = j + 1 < m ? P[j + 1]! : 0
      const next = i + 1 < m && j + 1 < m ? P[(i + 1) * m + j + 1]! : 0
      P[i * m + j] = fi * fj * g0 + fi * p0j1 + fj * p0i1 + next + R[i]! * R[j]!
    }
  }
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) P[j * m + i] = P[i * m + j]!
  return P
}

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
