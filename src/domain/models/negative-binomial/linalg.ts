/**
 * The small dense linear algebra of the fit (p ≈ 32): symmetric positive-definite solves and inverses
 * on ml-matrix's Cholesky decomposition, plus a rank check that names the dependent columns.
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix"

/** Smallest accepted pivot ratio min(L_jj²)/max(L_jj²) before a matrix counts as singular. */
const PIVOT_RATIO = 1e-14

const toMatrix = (A: Float64Array, p: number): Matrix => {
  const m = new Matrix(p, p)
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) m.set(i, j, A[i * p + j]!)
  return m
}

const cholesky = (A: Float64Array, p: number): CholeskyDecomposition | undefined => {
  for (let i = 0; i < A.length; i++) if (!Number.isFinite(A[i]!)) return undefined
  const chol = new CholeskyDecomposition(toMatrix(A, p))
  if (!chol.isPositiveDefinite()) return undefined
  const L = chol.lowerTriangularMatrix
  let lo = Infinity
  let hi = 0
  for (let j = 0; j < p; j++) {
    const d = L.get(j, j) ** 2
    lo = Math.min(lo, d)
    hi = Math.max(hi, d)
  }
  return lo > PIVOT_RATIO * hi ? chol : undefined
}

/** x with A x = b for a symmetric positive-definite A (row-major p × p); undefined when A is not SPD. */
export const solveSpd = (A: Float64Array, b: Float64Array): Float64Array | undefined => {
  const p = b.length
  const chol = cholesky(A, p)
  if (chol === undefined) return undefined
  return Float64Array.from(chol.solve(Matrix.columnVector(Array.from(b))).getColumn(0))
}

/** A⁻¹ (row-major) for a symmetric positive-definite A; undefined when A is not SPD. */
export const invertSpd = (A: Float64Array, p: number): Float64Array | undefined => {
  const chol = cholesky(A, p)
  if (chol === undefined) return undefined
  const inv = chol.solve(Matrix.eye(p, p))
  const out = new Float64Array(p * p)
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[i * p + j] = (inv.get(i, j) + inv.get(j, i)) / 2
  return out
}

/** Lower Cholesky factor (row-major) of an SPD matrix, for drawing from N(0, A); undefined if not SPD. */
export const choleskyFactor = (A: Float64Array, p: number): Float64Array | undefined => {
  const chol = cholesky(A, p)
  if (chol === undefined) return undefined
  const L = chol.lowerTriangularMatrix
  const out = new Float64Array(p * p)
  for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) out[i * p + j] = L.get(i, j)
  return out
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
