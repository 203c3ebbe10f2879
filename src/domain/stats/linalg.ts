/**
 * The one small dense linear algebra module of the models (p up to ~40): Cholesky factorisation,
 * solves and inverses of symmetric positive-definite matrices, and Gaussian elimination with partial
 * pivoting, on row-major Float64Arrays.
 *
 * Written out rather than taken from ml-matrix: an NB2 fit does ~15 solves of a 33 × 33 system, and
 * ml-matrix's per-element accessors and Matrix allocations cost ~50 µs per solve against ~3 µs here
 * (measured when NB2 was written). The tests check these routines against ml-matrix's
 * CholeskyDecomposition, inverse and solve.
 */

/**
 * Lower Cholesky factor L (A = LLᵀ) of the row-major p × p matrix A written into `L` (upper part zeroed);
 * false when A is not positive definite or not finite, or when its smallest squared pivot is not above
 * `minPivotRatio` times its largest (0: any positive pivot is accepted).
 */
export const choleskyInto = (A: Float64Array, p: number, L: Float64Array, minPivotRatio = 0): boolean => {
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
  return lo > minPivotRatio * hi
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
export const solveSpd = (A: Float64Array, b: Float64Array, minPivotRatio = 0): Float64Array | undefined => {
  const p = b.length
  const L = new Float64Array(p * p)
  if (!choleskyInto(A, p, L, minPivotRatio)) return undefined
  const x = Float64Array.from(b)
  choleskySolveInPlace(L, p, x)
  return x
}

/** A⁻¹ (row-major, symmetric) for a symmetric positive-definite A; undefined when A is not SPD. */
export const invertSpd = (A: Float64Array, p: number, minPivotRatio = 0): Float64Array | undefined => {
  const L = new Float64Array(p * p)
  if (!choleskyInto(A, p, L, minPivotRatio)) return undefined
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
export const choleskyFactor = (A: Float64Array, p: number, minPivotRatio = 0): Float64Array | undefined => {
  const L = new Float64Array(p * p)
  return choleskyInto(A, p, L, minPivotRatio) ? L : undefined
}

/**
 * Solves A x = b in place (A is overwritten, b becomes x) by Gaussian elimination with partial
 * pivoting; false when a pivot is not above `tol` in absolute value (singular) or not finite.
 */
export const solveLinearInPlace = (A: Float64Array, b: Float64Array, n: number, tol = 0): boolean => {
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
    if (!(best > tol) || !Number.isFinite(best)) return false
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
