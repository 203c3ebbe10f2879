/** The shared dense linear algebra against ml-matrix (an independent implementation). */
import { Matrix, solve } from "ml-matrix"
import { describe, expect, it } from "vitest"
import { invertSpd, solveLinearInPlace, solveSpd } from "../../../src/domain/stats/linalg"
import { Rng } from "../../../src/domain/random"

const randomMatrix = (n: number, rng: Rng) => Float64Array.from({ length: n * n }, () => rng.normal())

describe("stats/linalg", () => {
  it("Gaussian elimination with partial pivoting solves what ml-matrix solves, and refuses a singular system", () => {
    const rng = Rng.seeded(3)
    for (const n of [1, 3, 8, 20]) {
      const A = randomMatrix(n, rng)
      const b = Float64Array.from({ length: n }, () => rng.normal())
      const expected = solve(new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n)))), Matrix.columnVector(Array.from(b)))
      const x = Float64Array.from(b)
      expect(solveLinearInPlace(Float64Array.from(A), x, n)).toBe(true)
      for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(expected.get(i, 0), 8)
    }
    expect(solveLinearInPlace(Float64Array.from([1, 2, 2, 4]), Float64Array.from([1, 2]), 2)).toBe(false)
    expect(solveLinearInPlace(Float64Array.from([1e-13, 0, 0, 1]), Float64Array.from([1, 1]), 2, 1e-12)).toBe(false)
  })

  it("SPD solve and inverse agree with each other, the inverse is symmetric, and the pivot-ratio rule refuses near-singular matrices", () => {
    const rng = Rng.seeded(5)
    const n = 6
    const X = randomMatrix(n, rng)
    const A = new Float64Array(n * n) // XᵀX + I: SPD
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) A[i * n + j]! += X[k * n + i]! * X[k * n + j]! + (i === j && k === 0 ? 1 : 0)
    const inv = invertSpd(A, n)!
    const b = Float64Array.from({ length: n }, (_, i) => i + 1)
    const x = solveSpd(A, b)!
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let j = 0; j < n; j++) s += inv[i * n + j]! * b[j]!
      expect(s).toBeCloseTo(x[i]!, 10)
      for (let j = 0; j < n; j++) expect(inv[i * n + j]).toBe(inv[j * n + i])
    }
    const nearlySingular = Float64Array.from([1, 0, 0, 1e-16])
    expect(invertSpd(nearlySingular, 2)).toBeDefined()
    expect(invertSpd(nearlySingular, 2, 1e-14)).toBeUndefined()
  })
})
