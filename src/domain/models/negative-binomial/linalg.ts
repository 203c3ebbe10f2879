/**
 * The small dense linear algebra of the fit (p ≈ 32): Cholesky factorisation, solves and inverses of
 * symmetric positive-definite matrices on row-major Float64Arrays, and a rank check that names the
 * dependent columns.
 *
 * Written out rather than taken from ml-matrix: a fit does ~15 solves of a 33 × 33 system, and
 * ml-matrix's per-element accessors and Matrix allocations cost ~50 µs per solve (about a quarter of a
 * 1,344-row fit) against ~3 µs here. The tests check these routines against ml-matrix's
 * CholeskyDecomposition and inverse.
 */

/** Smallest accepted pivot ratio min(L_jj²)/max(L_jj²) before a matrix counts as singular. */
const PIVOT_RATIO = 1e-14

/**
 * Lower Cholesky factor L (A = LLᵀ) of the row-major p × p matrix A written into `L` (upper part zeroed);
 * false when A is not (numerically) positive definite or not finite.
 */
export const choleskyInto = (A: Float64Array, p: number, L: Float64Array): boolean => {
  let lo = Infinity
  let hi = 0
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j]!
    for (let k = 0; k < j; k++) d -= L[j * p + k]! * L[j * p + k]!
    if (!(d > 0) || !Number.isFinite(d)) return false
    lo = Math.min(lo, d)
    hi = Math.max(hi, d)
    const ljj = Math.sqrt(d)
    L[j * p + j] = ljj
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j]!
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!
      L[i * p + j] = s / ljj
    }
    for (let k = j + 1; k < p; k++) L[j * p + k] = 0
  }
  return lo > PIVOT_RATIO * hi
}

/** Solves LLᵀ x = b in place (b becomes x). */
export const choleskySolveInPlace = (L: Float64Array, p: number, b: Float64Array): void => {
  for (let i = 0; i < p; i++) {
    let s = b[i]!
    for (let k = 0; k < i; k++) s -= L[i * p + k]! * b[k]!
    b[i] = s / L[i * p + i]!
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!
    for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * b[k]!
    b[i] = s / L[i * p + i]!
  }
}

/** x with A x = b for a symmetric positive-definite A (row-major p × p); undefined when A is not SPD. */
export const solveSpd = (A: Float64Array, b: Float64Array): Float64Array | undefined => {
  const p = b.length
  const L = new Float64Array(p * p)
  if (!choleskyInto(A, p, L)) return undefined
  const x = Float64Array.from(b)
  choleskySolveInPlace(L, p, x)
  return x
}

/** A⁻¹ (row-major) for a symmetric positive-definite A; undefined when A is not SPD. */
export const invertSpd = (A: Float64Array, p: number): Float64Array | undefined => {
  const L = new Float64Array(p * p)
  if (!choleskyInto(A, p, L)) return undefined
  const out = new Float64Array(p * p)
  const col = new Float64Array(p)
  for (let j = 0; j < p; j++) {
    col.fill(0)
    col[j] = 1
    choleskySolveInPlace(L, p, col)
    for (let i = 0; i < p; i++) out[i * p + j] = col[i]!
  }
  // Symmetrise away the rounding of the two triangular solves.
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      const v = (out[i * p + j]! + out[j * p + i]!) / 2
      out[i * p + j] = v
      out[j * p + i] = v
    }
  }
  return out
}

/** Lower Cholesky factor (row-major) of an SPD matrix, for drawing from N(0, A); undefined if not SPD. */
export const choleskyFactor = (A: Float64Array, p: number): Float64Array | undefined => {
  const L = new Float64Array(p * p)
  return choleskyInto(A, p, L) ? L : undefined
}

/**
 * Columns of the Gram matrix G = XᵀX that are (numerically) linear combinations of the columns before
 * them: a sequential Cholesky on the correlation-scaled G that skips a column whose squared residual,
 * relative to its own norm, falls below `tol`. Earlier columns win, so `const` stays and a later constant
 * or duplicated column is reported.
 */
export const dependentColumns = (G: Float64Array, p: number, tol = 1e-10): number[] => {
  const scale = new Float64Array(p)
  for (let j = 0; j < p; j++) scale[j] = Math.sqrt(G[j * p + j]!)
  const L = new Float64Array(p * p)
  const accepted: number[] = []
  const dependent: number[] = []
  for (let j = 0; j < p; j++) {
    if (!(scale[j]! > 0)) {
      dependent.push(j)
      continue
    }
    // Row j of L over the accepted columns, then the residual diagonal.
    let d = 1
    for (const k of accepted) {
      let s = G[j * p + k]! / (scale[j]! * scale[k]!)
      for (const m of accepted) {
        if (m >= k) break
        s -= L[j * p + m]! * L[k * p + m]!
      }
      const l = s / L[k * p + k]!
      L[j * p + k] = l
      d -= l * l
    }
    if (d < tol) {
      dependent.push(j)
      for (const k of accepted) L[j * p + k] = 0
    } else {
      L[j * p + j] = Math.sqrt(d)
      accepted.push(j)
    }
  }
  return dependent
}
