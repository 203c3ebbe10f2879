/** Independent, deliberately naive pieces for cross-checking the SARIMAX implementation. */
import { Rng } from "../../../../src/domain/random"

/** Dense Harvey-form system from expanded polynomials, written out from the textbook definition. */
export const naiveSystem = (arPoly: ArrayLike<number>, maPoly: ArrayLike<number>) => {
  const m = Math.max(arPoly.length, maPoly.length + 1)
  const T = Array.from({ length: m }, () => new Array<number>(m).fill(0))
  for (let i = 0; i < m; i++) {
    T[i]![0] = i < arPoly.length ? arPoly[i]! : 0
    if (i + 1 < m) T[i]![i + 1] = 1
  }
  const R = Array.from({ length: m }, (_, i) => (i === 0 ? 1 : i - 1 < maPoly.length ? maPoly[i - 1]! : 0))
  return { m, T, R }
}

const matmul = (A: number[][], B: number[][]): number[][] =>
  A.map((row) => B[0]!.map((_, j) => row.reduce((s, a, k) => s + a * B[k]![j]!, 0)))
const transpose = (A: number[][]): number[][] => A[0]!.map((_, j) => A.map((r) => r[j]!))
const add = (A: number[][], B: number[][]): number[][] => A.map((r, i) => r.map((v, j) => v + B[i]![j]!))

/** Stationary covariance by Smith's doubling: P = Σ_k T^k R Rᵀ T^kᵀ. */
export const lyapunovByDoubling = (T: number[][], R: number[]): number[][] => {
  let P = R.map((a) => R.map((b) => a * b))
  let A = T
  for (let it = 0; it < 40; it++) {
    P = add(P, matmul(matmul(A, P), transpose(A)))
    A = matmul(A, A)
  }
  return P
}

/** Plain dense Kalman filter (σ² scale, stationary init, no tricks): returns ℓ and the final predicted state. */
export const naiveKalman = (
  T: number[][],
  R: number[],
  sigma2: number,
  y: ArrayLike<number>,
  obsOffset: ArrayLike<number>,
  stateIntercept: ArrayLike<number>,
  a1: number[],
  P1: number[][]
) => {
  const m = R.length
  let a = [...a1]
  let P = P1.map((r) => r.map((v) => v * sigma2))
  let ll = 0
  for (let t = 0; t < y.length; t++) {
    const F = P[0]![0]!
    const v = y[t]! - obsOffset[t]! - a[0]!
    ll += -0.5 * (Math.log(2 * Math.PI * F) + (v * v) / F)
    const K = P.map((r) => r[0]! / F)
    const af = a.map((ai, i) => ai + K[i]! * v)
    const Pf = P.map((r, i) => r.map((pij, j) => pij - K[i]! * P[0]![j]!))
    a = T.map((row) => row.reduce((s, tij, j) => s + tij * af[j]!, 0))
    a[0]! += stateIntercept[t]!
    P = add(matmul(matmul(T, Pf), transpose(T)), R.map((ri) => R.map((rj) => sigma2 * ri * rj)))
  }
  return { ll, a, P, m }
}

/** Simulates n values of an ARMA process (expanded polynomials) with unit-variance N(0, σ²) shocks, after a burn-in. */
export const simulateArma = (arPoly: number[], maPoly: number[], sigma: number, n: number, seed: number): Float64Array => {
  const rng = Rng.seeded(seed)
  const burn = 500
  const w = new Float64Array(n + burn)
  const e = new Float64Array(n + burn)
  for (let t = 0; t < n + burn; t++) {
    e[t] = sigma * rng.normal()
    let v = e[t]!
    for (let i = 0; i < arPoly.length; i++) if (t - i - 1 >= 0) v += arPoly[i]! * w[t - i - 1]!
    for (let j = 0; j < maPoly.length; j++) if (t - j - 1 >= 0) v += maPoly[j]! * e[t - j - 1]!
    w[t] = v
  }
  return w.slice(burn)
}
