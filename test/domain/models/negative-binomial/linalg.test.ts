/** The fit's dense linear algebra against ml-matrix, and the rank check. */
import { CholeskyDecomposition, inverse, Matrix } from "ml-matrix"
import { describe, expect, it } from "vitest"
import { choleskyFactor, dependentColumns, invertSpd, solveSpd } from "../../../../src/domain/models/negative-binomial/linalg"
import { csrGram, csrMulVec, csrSelect, csrTMulVec, toCsr } from "../../../../src/domain/models/negative-binomial/sparse"
import { Rng } from "../../../../src/domain/random"

/** A random SPD matrix BᵀB + p·I (row-major) and its ml-matrix twin. */
const spd = (p: number, seed: number) => {
  const rng = Rng.seeded(seed)
  const B = Matrix.zeros(p + 3, p)
  for (let i = 0; i < p + 3; i++) for (let j = 0; j < p; j++) B.set(i, j, rng.normal())
  const M = B.transpose().mmul(B).add(Matrix.eye(p, p).mul(0.1))
  return { A: Float64Array.from(M.to1DArray()), M }
}

describe("dense linear algebra", () => {
  it("solve, inverse and Cholesky factor agree with ml-matrix", () => {
    for (const p of [1, 5, 33]) {
      const { A, M } = spd(p, p)
      const b = Float64Array.from({ length: p }, (_, i) => Math.sin(i + 1))
      const x = solveSpd(A, b)!
      const xm = new CholeskyDecomposition(M).solve(Matrix.columnVector(Array.from(b))).getColumn(0)
      for (let i = 0; i < p; i++) expect(Math.abs(x[i]! - xm[i]!)).toBeLessThan(1e-10 * (1 + Math.abs(xm[i]!)))
      const inv = invertSpd(A, p)!
      const invM = inverse(M)
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) expect(Math.abs(inv[i * p + j]! - invM.get(i, j))).toBeLessThan(1e-9 * (1 + Math.abs(invM.get(i, j))))
      const L = choleskyFactor(A, p)!
      const Lm = new CholeskyDecomposition(M).lowerTriangularMatrix
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) expect(Math.abs(L[i * p + j]! - Lm.get(i, j))).toBeLessThan(1e-12 * (1 + Math.abs(Lm.get(i, j))))
    }
  })

  it("refuses singular, indefinite and non-finite matrices", () => {
    expect(solveSpd(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 2]))).toBeUndefined()
    expect(solveSpd(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 2]))).toBeUndefined()
    expect(invertSpd(Float64Array.from([1, 0, 0, Number.NaN]), 2)).toBeUndefined()
    expect(choleskyFactor(Float64Array.from([1, 0, 0, 1e-20]), 2)).toBeUndefined()
  })

  it("names the columns that are combinations of earlier ones", () => {
    // Columns: a, b, a+2b (dependent), zero (dependent), c.
    const rng = Rng.seeded(1)
    const n = 50
    const X = new Float64Array(n * 5)
    for (let i = 0; i < n; i++) {
      const a = rng.normal()
      const b = rng.normal()
      X.set([a, b, a + 2 * b, 0, rng.normal()], i * 5)
    }
    const G = new Float64Array(25)
    csrGram(toCsr(X, n, 5), new Float64Array(n).fill(1), G)
    expect(dependentColumns(G, 5)).toEqual([2, 3])
  })

  it("sparse products equal the dense ones, also on a column subset", () => {
    const rng = Rng.seeded(2)
    const n = 40
    const p = 6
    const X = new Float64Array(n * p)
    for (let i = 0; i < X.length; i++) X[i] = rng.uniform() < 0.5 ? 0 : rng.normal()
    const keep = [0, 2, 3, 5]
    const A = csrSelect(toCsr(X, n, p), keep)
    const b = [0.5, -1, 2, 0.25]
    const w = Float64Array.from({ length: n }, () => rng.uniform())
    const Xb = new Float64Array(n)
    csrMulVec(A, b, Xb)
    const XtW = new Float64Array(keep.length)
    csrTMulVec(A, w, XtW)
    const G = new Float64Array(keep.length ** 2)
    csrGram(A, w, G)
    for (let i = 0; i < n; i++) {
      const dense = keep.reduce((s, j, c) => s + X[i * p + j]! * b[c]!, 0)
      expect(Xb[i]).toBeCloseTo(dense, 12)
    }
    keep.forEach((j, a) => {
      let s = 0
      for (let i = 0; i < n; i++) s += X[i * p + j]! * w[i]!
      expect(XtW[a]).toBeCloseTo(s, 12)
      keep.forEach((k, c) => {
        let g = 0
        for (let i = 0; i < n; i++) g += X[i * p + j]! * w[i]! * X[i * p + k]!
        expect(G[a * keep.length + c]).toBeCloseTo(g, 12)
      })
    })
  })
})
