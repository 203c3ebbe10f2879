/**
 * NB2's linear algebra: the shared routines (src/domain/stats/linalg.ts) with NB2's singularity rule, and
 * a rank check that names the dependent columns of the design.
 */
import * as linalg from "../../stats/linalg"

/** Smallest accepted pivot ratio min(L_jj²)/max(L_jj²) before a design's Gram matrix counts as singular. */
const PIVOT_RATIO = 1e-14

export const solveSpd = (A: Float64Array, b: Float64Array): Float64Array | undefined => linalg.solveSpd(A, b, PIVOT_RATIO)
export const invertSpd = (A: Float64Array, p: number): Float64Array | undefined => linalg.invertSpd(A, p, PIVOT_RATIO)
export const choleskyFactor = (A: Float64Array, p: number): Float64Array | undefined => linalg.choleskyFactor(A, p, PIVOT_RATIO)

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
