/**
 * Starting values for the ARMA block by a Hannan–Rissanen step (Hannan & Rissanen 1982):
 *  1. difference the series and remove the regressors by OLS;
 *  2. fit a long autoregression by OLS, take its residuals as estimates of the innovations ê_t;
 *  3. regress w_t on its own AR lags and on ê at the MA lags (seasonal lags s, 2s, … included).
 * The multiplicative cross terms (e.g. lag s + 1) are left out, so this is an approximation, which is
 * all a starting point needs. Each block is then shrunk towards 0 until it is stationary/invertible.
 */
import { solveLinear } from "./lyapunov"
import { differencingCoefficients } from "./polynomial"
import type { SarimaxOrder } from "./state-space"
import { isStationary } from "./transforms"

/** OLS coefficients of y on X (rows × k, row-major); undefined if X'X is singular. */
export const ols = (X: Float64Array, y: Float64Array, rows: number, k: number): Float64Array | undefined => {
  const A = new Float64Array(k * k)
  const b = new Float64Array(k)
  for (let t = 0; t < rows; t++) {
    const base = t * k
    for (let i = 0; i < k; i++) {
      const xi = X[base + i]!
      if (xi === 0) continue
      b[i]! += xi * y[t]!
      for (let j = i; j < k; j++) A[i * k + j]! += xi * X[base + j]!
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) A[i * k + j] = A[j * k + i]!
  return solveLinear(A, b, k) ? b : undefined
}

/** Δ^dΔ_s^D applied to a series (length shrinks by r). */
export const difference = (x: Float64Array, d: number, D: number, s: number): Float64Array => {
  const delta = differencingCoefficients(d, D, s)
  const r = delta.length
  if (r === 0) return x
  const out = new Float64Array(Math.max(0, x.length - r))
  for (let t = r; t < x.length; t++) {
    let v = x[t]!
    for (let j = 0; j < r; j++) v -= delta[j]! * x[t - j - 1]!
    out[t - r] = v
  }
  return out
}

const shrinkToValid = (c: number[], valid: (c: number[]) => boolean): number[] => {
  let cur = c.map((v) => (Number.isFinite(v) ? v : 0))
  for (let i = 0; i < 60 && !valid(cur); i++) cur = cur.map((v) => v * 0.9)
  return valid(cur) ? cur : cur.map(() => 0)
}

/**
 * Natural ψ = (ar, ma, sar, sma) starting values from the regression residuals `u` (already differenced).
 */
export const hannanRissanen = (o: SarimaxOrder, u: Float64Array): Float64Array => {
  const nArma = o.p + o.q + o.P + o.Q
  const zeros = new Float64Array(nArma)
  if (nArma === 0) return zeros
  const n = u.length
  const arLags: number[] = []
  const maLags: number[] = []
  for (let i = 1; i <= o.p; i++) arLags.push(i)
  for (let i = 1; i <= o.P; i++) arLags.push(i * o.s)
  for (let i = 1; i <= o.q; i++) maLags.push(i)
  for (let i = 1; i <= o.Q; i++) maLags.push(i * o.s)
  const maxLag = Math.max(0, ...arLags, ...maLags)
  // Step 2: long AR; its order must reach past the seasonal lags.
  const K = Math.min(Math.floor(n / 4), Math.max(10, 2 * maxLag + 2))
  const e = new Float64Array(n)
  if (o.q + o.Q > 0) {
    const rows = n - K
    if (rows <= K + 1) return zeros
    const X = new Float64Array(rows * K)
    const yy = new Float64Array(rows)
    for (let t = K; t < n; t++) {
      yy[t - K] = u[t]!
      for (let j = 0; j < K; j++) X[(t - K) * K + j] = u[t - j - 1]!
    }
    const a = ols(X, yy, rows, K)
    if (a === undefined) return zeros
    for (let t = K; t < n; t++) {
      let v = u[t]!
      for (let j = 0; j < K; j++) v -= a[j]! * u[t - j - 1]!
      e[t] = v
    }
  }
  // Step 3: regression on AR lags of u and MA lags of ê.
  const start = (o.q + o.Q > 0 ? K : 0) + maxLag
  const rows = n - start
  const k = arLags.length + maLags.length
  if (rows <= k + 1) return zeros
  const X = new Float64Array(rows * k)
  const yy = new Float64Array(rows)
  for (let t = start; t < n; t++) {
    const rI = t - start
    yy[rI] = u[t]!
    arLags.forEach((l, i) => (X[rI * k + i] = u[t - l]!))
    maLags.forEach((l, i) => (X[rI * k + arLags.length + i] = e[t - l]!))
  }
  const coef = ols(X, yy, rows, k)
  if (coef === undefined) return zeros
  const c = Array.from(coef)
  const ar = shrinkToValid(c.slice(0, o.p), isStationary)
  const sar = shrinkToValid(c.slice(o.p, o.p + o.P), isStationary)
  const invertible = (m: number[]) => isStationary(m.map((v) => -v))
  const ma = shrinkToValid(c.slice(o.p + o.P, o.p + o.P + o.q), invertible)
  const sma = shrinkToValid(c.slice(o.p + o.P + o.q), invertible)
  return Float64Array.from([...ar, ...ma, ...sar, ...sma])
}
