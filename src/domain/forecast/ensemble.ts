/**
 * Ensemble: a linear pool of the models' predictive distributions, F = Σ_i w_i F_i with w on the simplex
 * (w_i ≥ 0, Σ w_i = 1), the weights chosen to minimise the mean CRPS of the week total over the windows
 * of the latest backtest. docs/models/ensemble.md gives the derivation; in short:
 *
 * CRPS(F, y) = E|X − y| − ½ E|X − X′| with X, X′ ~ F independent. For a mixture,
 *   E_F|X − y|   = Σ_i w_i a_i,          a_i  = E|X_i − y|
 *   E_F|X − X′|  = Σ_i Σ_j w_i w_j B_ij, B_ij = E|X_i − X_j|   (X_i ~ F_i, X_j ~ F_j independent)
 * so the mean CRPS over windows is the quadratic f(w) = āᵀw − ½ wᵀB̄w. It is convex on the simplex
 * (CRPS is a convex function of F and F is linear in w), and the minimiser is found exactly: for every
 * non-empty subset S of models (a face of the simplex) the KKT system of "minimise f on the affine hull
 * of S" is solved, candidates with a negative weight are dropped, and the lowest f wins. At the minimum,
 * the smallest face holding a minimiser has a non-singular system, so that face is always among the
 * candidates. With at most a handful of models (2^5 − 1 = 31 faces) this is instant, and it is
 * deterministic: no step sizes, no iteration counts, no starting point.
 *
 * Each backtest window recorded a model's week-total distribution as its 99 percentiles (levels
 * 0.01 .. 0.99, BacktestWindowEvaluated.forecast.totalQuantiles); each is treated as an equally likely
 * atom, so a_i and B_ij are exact averages over atoms (the 1% tails on either side are cut off).
 */
import { solveLinearInPlace } from "../stats/linalg"

export interface PoolWindow {
  readonly origin: number
  /** The actual week total. */
  readonly actual: number
  /** One array of atoms (equally likely values) per member, in member order. */
  readonly atoms: ReadonlyArray<ArrayLike<number>>
}

export interface PoolTerms {
  readonly members: number
  /** ā_i: mean over windows of E|X_i − y|. */
  readonly a: Float64Array
  /** B̄_ij (row-major, symmetric): mean over windows of E|X_i − X_j|. */
  readonly b: Float64Array
  readonly windows: number
}

const meanAbsToPoint = (xs: ArrayLike<number>, y: number): number => {
  let s = 0
  for (let k = 0; k < xs.length; k++) s += Math.abs(xs[k]! - y)
  return s / xs.length
}

const meanAbsBetween = (xs: ArrayLike<number>, ys: ArrayLike<number>): number => {
  let s = 0
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!
    for (let l = 0; l < ys.length; l++) s += Math.abs(x - ys[l]!)
  }
  return s / (xs.length * ys.length)
}

export const poolTerms = (windows: ReadonlyArray<PoolWindow>, members: number): PoolTerms => {
  if (windows.length === 0) throw new RangeError("no backtest windows to fit ensemble weights on")
  if (!(Number.isInteger(members) && members >= 1)) throw new RangeError("an ensemble needs at least one member")
  const a = new Float64Array(members)
  const b = new Float64Array(members * members)
  for (const w of windows) {
    if (w.atoms.length !== members) throw new RangeError(`window ${w.origin}: ${w.atoms.length} members, expected ${members}`)
    for (let i = 0; i < members; i++) {
      if (w.atoms[i]!.length === 0) throw new RangeError(`window ${w.origin}: member ${i} has no atoms`)
      a[i]! += meanAbsToPoint(w.atoms[i]!, w.actual)
      for (let j = i; j < members; j++) {
        const v = meanAbsBetween(w.atoms[i]!, w.atoms[j]!)
        b[i * members + j]! += v
        if (j !== i) b[j * members + i]! += v
      }
    }
  }
  for (let i = 0; i < members; i++) a[i]! /= windows.length
  for (let k = 0; k < b.length; k++) b[k]! /= windows.length
  return { members, a, b, windows: windows.length }
}

/** Mean CRPS of the pool with weights w: āᵀw − ½ wᵀB̄w. */
export const poolCrps = (terms: PoolTerms, w: ArrayLike<number>): number => {
  const m = terms.members
  let lin = 0
  let quad = 0
  for (let i = 0; i < m; i++) {
    lin += w[i]! * terms.a[i]!
    for (let j = 0; j < m; j++) quad += w[i]! * w[j]! * terms.b[i * m + j]!
  }
  return lin - 0.5 * quad
}

/** Solves A x = rhs (n × n, row-major) without touching its arguments; undefined when (nearly) singular. */
const solve = (A: Float64Array, rhs: Float64Array, n: number): Float64Array | undefined => {
  const M = Float64Array.from(A)
  const x = Float64Array.from(rhs)
  let scale = 0
  for (let k = 0; k < M.length; k++) scale = Math.max(scale, Math.abs(M[k]!))
  return solveLinearInPlace(M, x, n, 1e-12 * Math.max(1, scale)) ? x : undefined
}

/**
 * The minimiser of f on the affine hull of face S: stationarity −B̄_SS w_S + ā_S − λ1 = 0 with
 * 1ᵀw_S = 1, as one (s+1) × (s+1) linear system. Undefined when the system is singular.
 */
const faceMinimiser = (terms: PoolTerms, face: ReadonlyArray<number>): Float64Array | undefined => {
  const m = terms.members
  const s = face.length
  const n = s + 1
  const A = new Float64Array(n * n)
  const rhs = new Float64Array(n)
  face.forEach((i, r) => {
    face.forEach((j, c) => (A[r * n + c] = -terms.b[i * m + j]!))
    A[r * n + s] = -1
    A[s * n + r] = 1
    rhs[r] = -terms.a[i]!
  })
  rhs[s] = 1
  const x = solve(A, rhs, n)
  if (x === undefined) return undefined
  const w = new Float64Array(m)
  face.forEach((i, r) => (w[i] = x[r]!))
  return w
}

export interface PoolFit {
  /** One weight per member, ≥ 0, summing to 1. */
  readonly weights: ReadonlyArray<number>
  /** Mean CRPS of the pool at these weights, over the windows. */
  readonly meanCrps: number
  /** Mean CRPS of each member alone (its own atoms). */
  readonly memberCrps: ReadonlyArray<number>
  readonly windows: number
}

/** Exact minimiser of the pool's mean CRPS over the simplex (see the module comment). */
export const fitLinearPool = (terms: PoolTerms): PoolFit => {
  const m = terms.members
  if (m > 12) throw new RangeError(`face enumeration is for a handful of models, got ${m}`)
  let best: { w: Float64Array; f: number; size: number } | undefined
  // Masks in increasing order: singletons and small faces come first, so among equal objectives the
  // smallest face (fewest models), then the lowest mask, wins. Deterministic by construction.
  const masks = Array.from({ length: (1 << m) - 1 }, (_, k) => k + 1).sort((x, y) => popcount(x) - popcount(y) || x - y)
  for (const mask of masks) {
    const face: number[] = []
    for (let i = 0; i < m; i++) if (mask & (1 << i)) face.push(i)
    const w = faceMinimiser(terms, face)
    if (w === undefined) continue
    if (face.some((i) => !(w[i]! >= -1e-12))) continue
    for (const i of face) if (w[i]! < 0) w[i] = 0
    let sum = 0
    for (let i = 0; i < m; i++) sum += w[i]!
    for (let i = 0; i < m; i++) w[i]! /= sum
    const f = poolCrps(terms, w)
    if (best === undefined || f < best.f - 1e-12 * Math.max(1, Math.abs(best.f))) best = { w, f, size: face.length }
  }
  // A singleton's system [−B_ii −1; 1 0] is never singular, so `best` is always set.
  const memberCrps = Array.from({ length: m }, (_, i) => terms.a[i]! - 0.5 * terms.b[i * m + i]!)
  return { weights: Array.from(best!.w), meanCrps: best!.f, memberCrps, windows: terms.windows }
}

const popcount = (x: number): number => {
  let c = 0
  for (let v = x; v !== 0; v &= v - 1) c++
  return c
}

/**
 * Weights actually used: those below `minWeight` are dropped (a 1%-weight member changes the pool's
 * CRPS by well under a count but would cost a whole model fit and simulation), the rest renormalised.
 */
export const pruneWeights = (weights: ReadonlyArray<number>, minWeight: number): ReadonlyArray<number> => {
  const kept = weights.map((w) => (w >= minWeight ? w : 0))
  const sum = kept.reduce((s, w) => s + w, 0)
  if (!(sum > 0)) throw new RangeError("every ensemble weight is below the threshold")
  return kept.map((w) => w / sum)
}
