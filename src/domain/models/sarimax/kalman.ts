/**
 * Kalman filter for the SARIMAX state space (see state-space.ts), run on several "columns" at once.
 *
 * Why columns: the covariances P_t, gains K_t and innovation variances F_t do not depend on the data
 * or on the regression coefficients, and the innovations are linear in them. Column 0 is y, the
 * other columns are the regressors (observation-side exog, data x_k) and trend terms (state-side,
 * intercept −τ_j(t)); with b = (trend coefficients, exog coefficients) the model's innovation is
 * v_t = v_t⁽⁰⁾ − Σ_c b_c v_t⁽ᶜ⁾. One pass therefore yields the exact likelihood for every (b, σ²),
 * so b and σ² can be profiled out in closed form (GLS) and the optimiser only sees the ARMA part.
 * The filter runs with σ² = 1; true covariances are σ² times these.
 *
 * Stationary phase (the cost that matters): the observation picks state 0 exactly (no measurement
 * error), so the filtered covariance has a zero first row/column and the update collapses to
 *   P'[i,j] = P[i+1,j+1] − P[i+1,0] P[0,j+1] / F + R_i R_j,   F = P[0,0] ≥ 1 after the first step,
 * i.e. m(m+1)/2 multiply-adds per step on the upper triangle: O(n·m²) with a small constant, and
 * symmetric by construction (what the Joseph form would buy is already guaranteed here: the only
 * subtraction is the rank-one term and F is bounded below by σ²).
 *
 * Differencing (d + D > 0): the r lagged-u states are initialised exactly diffuse (Koopman 1997,
 * Durbin & Koopman 2012 §5.2) with P_∞ = I on them, and the dense exact-diffuse recursions run until
 * P_∞ vanishes (r observations). Those observations contribute −½(log 2π + log F_∞) and are not in
 * the quadratic form. From then on the lagged u are known exactly, their covariance is zero, and the
 * stationary fast path continues on the ARMA block with the lags kept as a mean-only shift register.
 */
import { denseSystem, type StateSpace } from "./state-space"
import { stationaryCovariance, stationaryMean } from "./lyapunov"

export interface FilterData {
  readonly n: number
  readonly cols: number
  /** data[t·cols + c]: observation-side data of column c at t (y, a regressor, or 0 for trend columns). */
  readonly data: Float64Array
  /** intercept[t·cols + c]: added to ARMA state 0 when predicting t → t+1 (state-side trend columns); optional. */
  readonly intercept?: Float64Array
}

export interface FilterResult {
  readonly n: number
  readonly cols: number
  /** Observations absorbed by the diffuse initialisation, and Σ log F_∞ over them. */
  readonly nDiffuse: number
  readonly sumLogFinf: number
  /** Observations in the Gaussian quadratic form, Σ log F_t (σ² = 1) over them. */
  readonly nObs: number
  readonly sumLogF: number
  /** Σ v⁽ᶜ⁾ v⁽ᵈ⁾ / F over the non-diffuse observations, cols×cols symmetric. */
  readonly S: Float64Array
  /** Predicted ARMA-block mean for time n (one step past the data), cols×m. */
  readonly armaMean: Float64Array
  /** Predicted lagged-u states for time n, cols×r (u_{n−1}, …, u_{n−r}). */
  readonly lags: Float64Array
  /** Predicted ARMA-block covariance for time n (σ² = 1), m×m full symmetric. */
  readonly P: Float64Array
  /** Present when `record`: innovations n×cols, F_t (σ² = 1; F_∞ on diffuse steps), diffuse flags. */
  readonly v?: Float64Array
  readonly F?: Float64Array
  readonly diffuse?: Uint8Array
  /** Present when `record`: P_t[·,0] before each update (n×m, σ² = 1), for the adjoint gradient (d = D = 0 only). */
  readonly pcol?: Float64Array
  /** Present when `record`: initial ARMA-block mean (cols×m) and covariance (m×m, σ² = 1). */
  readonly initialMean?: Float64Array
  readonly initialCov?: Float64Array
}

export class FilterFailure extends Error {}

export interface FilterOptions {
  readonly record?: boolean
}

/** Runs the filter; returns undefined when the parameters are not admissible (non-stationary AR, F ≤ 0). */
export const kalmanFilter = (ss: StateSpace, fd: FilterData, options: FilterOptions = {}): FilterResult | undefined => {
  const { m, r, phi, R, delta } = ss
  const { n, cols, data } = fd
  const intercept = fd.intercept
  const record = options.record === true
  const P1 = stationaryCovariance(ss)
  if (P1 === undefined) return undefined
  const A = new Float64Array(cols * m)
  const tmpMean = new Float64Array(m)
  for (let c = 0; c < cols; c++) {
    const c0 = intercept === undefined ? 0 : intercept[c]!
    if (c0 !== 0) A.set(stationaryMean(ss, c0, tmpMean), c * m)
  }
  const initialMean = record ? Float64Array.from(A) : undefined
  const initialCov = record ? Float64Array.from(P1) : undefined
  const L = new Float64Array(cols * r)
  const S = new Float64Array(cols * cols)
  const vRec = record ? new Float64Array(n * cols) : undefined
  const FRec = record ? new Float64Array(n) : undefined
  const dRec = record ? new Uint8Array(n) : undefined
  const pRec = record ? new Float64Array(n * m) : undefined
  let nDiffuse = 0
  let sumLogFinf = 0
  let nObs = 0
  let sumLogF = 0
  let P = P1
  let t0 = 0

  if (r > 0) {
    const out = diffusePhase(ss, fd, P1, A, L, S, vRec, FRec, dRec)
    if (out === undefined) return undefined
    nDiffuse = out.nDiffuse
    sumLogFinf = out.sumLogFinf
    nObs = out.nObs
    sumLogF = out.sumLogF
    P = out.P
    t0 = out.t
  }

  const v = new Float64Array(cols)
  const p = new Float64Array(m + 1)
  // Supports of R and of φ̃ (T's first column): seasonal models are sparse there.
  const rs: number[] = []
  const ps: number[] = []
  for (let i = 0; i < m; i++) {
    if (R[i] !== 0) rs.push(i)
    if (phi[i] !== 0) ps.push(i)
  }
  for (let t = t0; t < n; t++) {
    const F = P[0]!
    if (!(F > 0) || !Number.isFinite(F)) return undefined
    const invF = 1 / F
    sumLogF += Math.log(F)
    nObs++
    const row = t * cols
    for (let c = 0; c < cols; c++) {
      let pred = A[c * m]!
      for (let j = 0; j < r; j++) pred += delta[j]! * L[c * r + j]!
      v[c] = data[row + c]! - pred
    }
    for (let c1 = 0; c1 < cols; c1++) {
      const w1 = v[c1]! * invF
      for (let c2 = c1; c2 < cols; c2++) S[c1 * cols + c2]! += w1 * v[c2]!
    }
    if (record) {
      for (let c = 0; c < cols; c++) vRec![row + c] = v[c]!
      FRec![t] = F
    }
    for (let i = 0; i < m; i++) p[i] = P[i]!
    p[m] = 0
    if (record) pRec!.set(p.subarray(0, m), t * m)
    // Means: filtered state 0 is the observed w_t exactly; then a ← T a_f + c_t e₀.
    for (let c = 0; c < cols; c++) {
      const base = c * m
      const k = v[c]! * invF
      const w = A[base]! + v[c]!
      for (let i = 0; i < m - 1; i++) A[base + i] = A[base + i + 1]! + p[i + 1]! * k
      A[base + m - 1] = 0
      for (const i of ps) A[base + i]! += phi[i]! * w
      if (intercept !== undefined) A[base]! += intercept[row + c]!
      if (r > 0) {
        const lb = c * r
        for (let j = r - 1; j > 0; j--) L[lb + j] = L[lb + j - 1]!
        L[lb] = data[row + c]!
      }
    }
    // Covariance, upper triangle in place (row i reads row i+1, not yet overwritten); R Rᵀ added on its support.
    for (let i = 0; i < m - 1; i++) {
      const base = i * m
      const next = base + m
      const gi = p[i + 1]! * invF
      for (let j = i; j < m - 1; j++) P[base + j] = P[next + j + 1]! - gi * p[j + 1]!
      P[base + m - 1] = 0
    }
    P[m * m - 1] = 0
    for (let a = 0; a < rs.length; a++) {
      const i = rs[a]!
      for (let bb = a; bb < rs.length; bb++) P[i * m + rs[bb]!]! += R[i]! * R[rs[bb]!]!
    }
  }
  for (let c1 = 0; c1 < cols; c1++) for (let c2 = c1 + 1; c2 < cols; c2++) S[c2 * cols + c1] = S[c1 * cols + c2]!
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) P[j * m + i] = P[i * m + j]!
  return {
    n,
    cols,
    nDiffuse,
    sumLogFinf,
    nObs,
    sumLogF,
    S,
    armaMean: A,
    lags: L,
    P,
    ...(record ? { v: vRec!, F: FRec!, diffuse: dRec!, pcol: pRec!, initialMean: initialMean!, initialCov: initialCov! } : {})
  }
}

/** Y = T X for a k×k matrix X, applying T through its structure (companion + differencing shift). */
const applyT = (ss: StateSpace, X: Float64Array, k: number, out: Float64Array): void => {
  const { m, r, phi, delta } = ss
  for (let i = 0; i < m; i++) {
    const f = phi[i]!
    for (let j = 0; j < k; j++) out[i * k + j] = f * X[j]! + (i + 1 < m ? X[(i + 1) * k + j]! : 0)
  }
  if (r > 0) {
    for (let j = 0; j < k; j++) {
      let s = X[j]!
      for (let l = 0; l < r; l++) s += delta[l]! * X[(m + l) * k + j]!
      out[m * k + j] = s
    }
    for (let l = 1; l < r; l++) for (let j = 0; j < k; j++) out[(m + l) * k + j] = X[(m + l - 1) * k + j]!
  }
}

/** P ← T P Tᵀ (+ R Rᵀ on the ARMA block when addNoise). */
export const propagate = (ss: StateSpace, P: Float64Array, k: number, work: Float64Array, addNoise: boolean): void => {
  applyT(ss, P, k, work)
  // work = T P; P' = T (T P)ᵀ.
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++) {
      const t = work[i * k + j]!
      work[i * k + j] = work[j * k + i]!
      work[j * k + i] = t
    }
  applyT(ss, work, k, P)
  if (addNoise) for (let i = 0; i < ss.m; i++) for (let j = 0; j < ss.m; j++) P[i * k + j]! += ss.R[i]! * ss.R[j]!
}

interface DiffuseOut {
  readonly t: number
  readonly nDiffuse: number
  readonly sumLogFinf: number
  readonly nObs: number
  readonly sumLogF: number
  readonly P: Float64Array
}

/** Exact diffuse filtering of the first observations (dense in k = m + r; only r steps). */
const diffusePhase = (
  ss: StateSpace,
  fd: FilterData,
  P1: Float64Array,
  A: Float64Array,
  L: Float64Array,
  S: Float64Array,
  vRec: Float64Array | undefined,
  FRec: Float64Array | undefined,
  dRec: Uint8Array | undefined
): DiffuseOut | undefined => {
  const { m, r } = ss
  const { n, cols, data, intercept } = fd
  const { k, Z } = denseSystem(ss)
  const Pst = new Float64Array(k * k)
  const Pinf = new Float64Array(k * k)
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) Pst[i * k + j] = P1[i * m + j]!
  for (let l = 0; l < r; l++) Pinf[(m + l) * k + m + l] = 1
  const a = new Float64Array(cols * k)
  for (let c = 0; c < cols; c++) for (let i = 0; i < m; i++) a[c * k + i] = A[c * m + i]!
  const Minf = new Float64Array(k)
  const Mst = new Float64Array(k)
  const work = new Float64Array(k * k)
  const tmp = new Float64Array(k)
  const v = new Float64Array(cols)
  let nDiffuse = 0
  let sumLogFinf = 0
  let nObs = 0
  let sumLogF = 0
  let t = 0
  for (; t < n; t++) {
    let Finf = 0
    let Fst = 0
    for (let i = 0; i < k; i++) {
      let si = 0
      let ss2 = 0
      for (let j = 0; j < k; j++) {
        si += Pinf[i * k + j]! * Z[j]!
        ss2 += Pst[i * k + j]! * Z[j]!
      }
      Minf[i] = si
      Mst[i] = ss2
    }
    for (let i = 0; i < k; i++) {
      Finf += Z[i]! * Minf[i]!
      Fst += Z[i]! * Mst[i]!
    }
    for (let c = 0; c < cols; c++) {
      let pred = 0
      for (let i = 0; i < k; i++) pred += Z[i]! * a[c * k + i]!
      v[c] = data[t * cols + c]! - pred
      if (vRec) vRec[t * cols + c] = v[c]!
    }
    if (Finf > 1e-8) {
      nDiffuse++
      sumLogFinf += Math.log(Finf)
      if (FRec) FRec[t] = Finf
      if (dRec) dRec[t] = 1
      for (let c = 0; c < cols; c++) for (let i = 0; i < k; i++) a[c * k + i]! += (Minf[i]! * v[c]!) / Finf
      const f1 = Fst / (Finf * Finf)
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) {
          Pst[i * k + j]! += Minf[i]! * Minf[j]! * f1 - (Mst[i]! * Minf[j]! + Minf[i]! * Mst[j]!) / Finf
          Pinf[i * k + j]! -= (Minf[i]! * Minf[j]!) / Finf
        }
    } else {
      if (!(Fst > 0)) return undefined
      nObs++
      sumLogF += Math.log(Fst)
      if (FRec) FRec[t] = Fst
      for (let c1 = 0; c1 < cols; c1++) for (let c2 = c1; c2 < cols; c2++) S[c1 * cols + c2]! += (v[c1]! * v[c2]!) / Fst
      for (let c = 0; c < cols; c++) for (let i = 0; i < k; i++) a[c * k + i]! += (Mst[i]! * v[c]!) / Fst
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) Pst[i * k + j]! -= (Mst[i]! * Mst[j]!) / Fst
    }
    // Predict: a ← T a + c_t e₀; P* ← T P* Tᵀ + R Rᵀ; P∞ ← T P∞ Tᵀ.
    for (let c = 0; c < cols; c++) {
      const ac = a.subarray(c * k, (c + 1) * k)
      applyVec(ss, ac, tmp)
      ac.set(tmp)
      if (intercept !== undefined) ac[0]! += intercept[t * cols + c]!
    }
    propagate(ss, Pst, k, work, true)
    propagate(ss, Pinf, k, work, false)
    let maxInf = 0
    for (let i = 0; i < k * k; i++) maxInf = Math.max(maxInf, Math.abs(Pinf[i]!))
    if (maxInf < 1e-9) {
      t++
      break
    }
  }
  // Leaving the diffuse phase: the lagged u are known exactly, so their block of P* must be ~0.
  let scale = 0
  for (let i = 0; i < k * k; i++) scale = Math.max(scale, Math.abs(Pst[i]!))
  for (let i = 0; i < k; i++)
    for (let l = 0; l < r; l++) if (Math.abs(Pst[i * k + m + l]!) > 1e-8 * Math.max(1, scale)) return undefined
  const P = new Float64Array(m * m)
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) P[i * m + j] = Pst[i * k + j]!
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < m; i++) A[c * m + i] = a[c * k + i]!
    for (let l = 0; l < r; l++) L[c * r + l] = a[c * k + m + l]!
  }
  return { t, nDiffuse, sumLogFinf, nObs, sumLogF, P }
}

/** out = T x for a full-state vector. */
export const applyVec = (ss: StateSpace, x: ArrayLike<number>, out: Float64Array): void => {
  const { m, r, phi, delta } = ss
  const x0 = x[0]!
  for (let i = 0; i < m - 1; i++) out[i] = phi[i]! * x0 + x[i + 1]!
  out[m - 1] = phi[m - 1]! * x0
  if (r > 0) {
    let s = x0
    for (let l = 0; l < r; l++) s += delta[l]! * x[m + l]!
    for (let l = r - 1; l > 0; l--) out[m + l] = x[m + l - 1]!
    out[m] = s
  }
}
