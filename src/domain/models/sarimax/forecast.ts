/**
 * Forecasting from the filtered state at the end of the data (the one-step-ahead prediction for the
 * first forecast hour, N(a, σ²P)): exact Gaussian moments on the model scale, and Monte Carlo paths.
 *
 * A path draws the ARMA-block state from N(a, σ²P) (P may be singular: a pivoted Cholesky factor is
 * used), then runs y_h = x_hᵀβ + Z α_h, α_{h+1} = T α_h + c_h e₀ + R e_h with e_h ~ N(0, σ²).
 * Random numbers are consumed in a fixed order (path by path: the state's normals, then one per hour),
 * so a seed reproduces the paths exactly.
 */
import type { Rng } from "../../random"
import { propagate, type FilterResult } from "./kalman"
import type { StateSpace } from "./state-space"

/** The model's own state (the combination v⁽⁰⁾ − Σ b_c v⁽ᶜ⁾ of the filter columns). */
export interface PredictedState {
  /** ARMA block mean (m). */
  readonly a: Float64Array
  /** Lagged u (r): u_{n−1}, …, u_{n−r}. */
  readonly lags: Float64Array
  /** ARMA block covariance, σ² = 1 (m×m). */
  readonly P: Float64Array
}

export const combinedState = (fr: FilterResult, b: ArrayLike<number>, m: number, r: number): PredictedState => {
  const a = fr.armaMean.slice(0, m)
  const lags = fr.lags.slice(0, r)
  for (let c = 1; c < fr.cols; c++) {
    for (let i = 0; i < m; i++) a[i]! -= b[c - 1]! * fr.armaMean[c * m + i]!
    for (let j = 0; j < r; j++) lags[j]! -= b[c - 1]! * fr.lags[c * r + j]!
  }
  return { a, lags, P: fr.P }
}

/** Future inputs: observation offset x_hᵀβ and state intercept c_h, per forecast hour. */
export interface FutureTerms {
  readonly obsOffset: Float64Array
  readonly stateIntercept: Float64Array
}

/** Mean and variance of y_{n+h}, h = 0..H−1, on the model (transformed) scale. */
export const forecastMoments = (
  ss: StateSpace,
  st: PredictedState,
  sigma2: number,
  fut: FutureTerms
): { mean: Float64Array; variance: Float64Array } => {
  const { m, r, delta } = ss
  const k = m + r
  const H = fut.obsOffset.length
  const x = new Float64Array(k)
  x.set(st.a)
  x.set(st.lags, m)
  const P = new Float64Array(k * k)
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) P[i * k + j] = st.P[i * m + j]!
  const work = new Float64Array(k * k)
  const next = new Float64Array(k)
  const Z = new Float64Array(k)
  Z[0] = 1
  for (let j = 0; j < r; j++) Z[m + j] = delta[j]!
  const mean = new Float64Array(H)
  const variance = new Float64Array(H)
  for (let h = 0; h < H; h++) {
    let mu = fut.obsOffset[h]!
    for (let i = 0; i < k; i++) mu += Z[i]! * x[i]!
    let v = 0
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) v += Z[i]! * P[i * k + j]! * Z[j]!
    mean[h] = mu
    variance[h] = sigma2 * v
    stepMean(ss, x, next)
    x.set(next)
    x[0]! += fut.stateIntercept[h]!
    propagate(ss, P, k, work, true)
  }
  return { mean, variance }
}

/** out = T x on the full state [ARMA; lags]. */
const stepMean = (ss: StateSpace, x: Float64Array, out: Float64Array): void => {
  const { m, r, phi, delta } = ss
  const x0 = x[0]!
  for (let i = 0; i < m - 1; i++) out[i] = phi[i]! * x0 + x[i + 1]!
  out[m - 1] = phi[m - 1]! * x0
  if (r > 0) {
    let u = x0
    for (let j = 0; j < r; j++) u += delta[j]! * x[m + j]!
    for (let j = r - 1; j > 0; j--) out[m + j] = x[m + j - 1]!
    out[m] = u
  }
}

/**
 * Factor L (m×m, lower, columns beyond the numerical rank zero) with L Lᵀ = A for a symmetric PSD A,
 * by Cholesky with diagonal pivoting; pivots below `tol`·max diag are treated as zero.
 */
export const psdFactor = (A: Float64Array, m: number, tol = 1e-12): Float64Array => {
  const W = Float64Array.from(A)
  const L = new Float64Array(m * m)
  const perm = Array.from({ length: m }, (_, i) => i)
  let maxDiag = 0
  for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, W[i * m + i]!)
  const done = new Uint8Array(m)
  for (let col = 0; col < m; col++) {
    let piv = -1
    let best = tol * maxDiag
    for (let i = 0; i < m; i++) {
      if (done[i]) continue
      const d = W[i * m + i]!
      if (d > best) {
        best = d
        piv = i
      }
    }
    if (piv < 0) break
    done[piv] = 1
    perm[col] = piv
    const s = Math.sqrt(W[piv * m + piv]!)
    // Column `col` of L (indexed by original state index): W[·, piv] / s.
    for (let i = 0; i < m; i++) L[i * m + col] = done[i] && i !== piv ? 0 : W[i * m + piv]! / s
    L[piv * m + col] = s
    for (let i = 0; i < m; i++) {
      if (done[i]) continue
      const li = L[i * m + col]!
      for (let j = 0; j < m; j++) if (!done[j]) W[i * m + j]! -= li * L[j * m + col]!
    }
    for (let j = 0; j < m; j++) {
      W[piv * m + j] = 0
      W[j * m + piv] = 0
    }
  }
  return L
}

/** Simulated paths of y on the model scale, path-major (paths × H). */
export const simulatePaths = (
  ss: StateSpace,
  st: PredictedState,
  sigma2: number,
  fut: FutureTerms,
  paths: number,
  rng: Rng
): Float64Array => {
  const { m, r, phi, R, delta } = ss
  const H = fut.obsOffset.length
  const out = new Float64Array(paths * H)
  const sd = Math.sqrt(sigma2)
  const L = psdFactor(st.P, m)
  let rank = 0
  for (let c = 0; c < m; c++) for (let i = 0; i < m; i++) if (L[i * m + c] !== 0) rank = Math.max(rank, c + 1)
  const ps: number[] = []
  const rs: number[] = []
  for (let i = 0; i < m; i++) {
    if (phi[i] !== 0) ps.push(i)
    if (R[i] !== 0) rs.push(i)
  }
  const ds: number[] = []
  for (let j = 0; j < r; j++) if (delta[j] !== 0) ds.push(j)
  const alpha = new Float64Array(m)
  const lags = new Float64Array(Math.max(r, 1))
  const z = new Float64Array(m)
  for (let p = 0; p < paths; p++) {
    for (let c = 0; c < rank; c++) z[c] = rng.normal() * sd
    for (let i = 0; i < m; i++) {
      let s = st.a[i]!
      for (let c = 0; c < rank; c++) s += L[i * m + c]! * z[c]!
      alpha[i] = s
    }
    for (let j = 0; j < r; j++) lags[j] = st.lags[j]!
    const base = p * H
    for (let h = 0; h < H; h++) {
      let u = alpha[0]!
      for (const j of ds) u += delta[j]! * lags[j]!
      out[base + h] = fut.obsOffset[h]! + u
      const e = rng.normal() * sd
      const a0 = alpha[0]!
      for (let i = 0; i < m - 1; i++) alpha[i] = alpha[i + 1]!
      alpha[m - 1] = 0
      for (const i of ps) alpha[i]! += phi[i]! * a0
      for (const i of rs) alpha[i]! += R[i]! * e
      alpha[0]! += fut.stateIntercept[h]!
      if (r > 0) {
        for (let j = r - 1; j > 0; j--) lags[j] = lags[j - 1]!
        lags[0] = u
      }
    }
  }
  return out
}
