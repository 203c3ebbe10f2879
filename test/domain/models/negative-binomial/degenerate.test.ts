/** Degenerate designs: named warnings and finite numbers, never NaN. */
import { describe, expect, it } from "vitest"
import { fitNbRegression } from "../../../../src/domain/models/negative-binomial/index"
import { ModelFitError } from "../../../../src/domain/models/model"
import { Rng } from "../../../../src/domain/random"
import { loadReference, maxRelErr } from "./helpers"

const ref = loadReference()
const n = ref.data.y.length
const y = Float64Array.from(ref.data.y)
const X = Float64Array.from(ref.data.X.flat())
const columns = ref.data.columns

/** The reference design with extra columns appended (values per row from `extra`). */
const withColumns = (names: string[], extra: (row: number) => number[]) => {
  const p = 32 + names.length
  const out = new Float64Array(n * p)
  for (let i = 0; i < n; i++) {
    out.set(X.subarray(i * 32, i * 32 + 32), i * p)
    out.set(extra(i), i * p + 32)
  }
  return { X: out, columns: [...columns, ...names] }
}

const expectAllFinite = (values: ArrayLike<number>) => {
  for (let i = 0; i < values.length; i++) expect(Number.isFinite(values[i]!)).toBe(true)
}

describe("degenerate NB2 designs", () => {
  const base = fitNbRegression(X, y, columns)

  it("drops a constant column and an all-zero column with named warnings; the rest of the fit is unchanged", () => {
    const d = withColumns(["always_two", "never"], () => [2, 0])
    const fit = fitNbRegression(d.X, y, d.columns)
    expect(fit.dropped.map((c) => [c.name, c.reason])).toEqual([
      ["always_two", "constant"],
      ["never", "all_zero"]
    ])
    expect(fit.warnings.join("\n")).toMatch(/constant columns.*always_two/)
    expect(fit.warnings.join("\n")).toMatch(/all-zero columns.*never/)
    expect(fit.beta[32]).toBe(0)
    expect(fit.se[32]).toBeNull()
    expect(fit.se[33]).toBeNull()
    expectAllFinite(fit.beta)
    expect(maxRelErr(fit.beta.subarray(0, 32), base.beta)).toBeLessThan(1e-8)
    expect(fit.k).toBe(33)
  })

  it("drops a column that duplicates a combination of earlier ones (collinear) and names it", () => {
    // hour_5 + dow_2 and a copy of log1p_sum_prev24.
    const d = withColumns(["h5_plus_tue", "lag24_copy"], (i) => [X[i * 32 + 5]! + X[i * 32 + 25]!, X[i * 32 + 30]!])
    const fit = fitNbRegression(d.X, y, d.columns)
    expect(fit.dropped.map((c) => [c.name, c.reason])).toEqual([
      ["h5_plus_tue", "collinear"],
      ["lag24_copy", "collinear"]
    ])
    expect(fit.warnings.join("\n")).toMatch(/linear combinations of earlier columns: h5_plus_tue, lag24_copy/)
    expect(maxRelErr(fit.beta.subarray(0, 32), base.beta)).toBeLessThan(1e-8)
    expect(fit.converged).toBe(true)
  })

  it("ridge-penalises a perfectly separated column (y = 0 wherever it is 1) instead of diverging", () => {
    const ySep = Float64Array.from(y)
    for (let i = 0; i < n; i++) if (X[i * 32 + 3] === 1) ySep[i] = 0 // no post ever at 03:00 UTC
    const fit = fitNbRegression(X, ySep, columns)
    expect(fit.separated).toEqual(["hour_3"])
    expect(fit.warnings.join("\n")).toMatch(/perfectly separated columns.*hour_3/)
    expect(fit.converged).toBe(true)
    expectAllFinite(fit.beta)
    expect(fit.se.every((s) => s !== null && Number.isFinite(s))).toBe(true)
    expect(Number.isFinite(fit.llf)).toBe(true)
    // Large and negative: the fitted rate at 03:00 is far below the other hours'.
    expect(fit.beta[3]).toBeLessThan(-2)
  })

  it("a ridge penalty shrinks every coefficient but the intercept", () => {
    const fit = fitNbRegression(X, y, columns, { ridge: 50 })
    let normRidge = 0
    let normBase = 0
    for (let j = 1; j < 32; j++) {
      normRidge += fit.beta[j]! ** 2
      normBase += base.beta[j]! ** 2
    }
    expect(normRidge).toBeLessThan(0.5 * normBase)
    expect(fit.converged).toBe(true)
    expect(fit.llf).toBeLessThan(base.llf)
  })

  it("underdispersed counts put alpha at the Poisson boundary, with a warning", () => {
    const rng = Rng.seeded(11)
    const m = 400
    const Xs = new Float64Array(m * 2)
    const ys = new Float64Array(m)
    for (let i = 0; i < m; i++) {
      Xs[i * 2] = 1
      Xs[i * 2 + 1] = i % 2
      // Binomial(4, 0.5): variance 1 < mean 2.
      for (let k = 0; k < 4; k++) ys[i]! += rng.uniform() < 0.5 ? 1 : 0
    }
    const fit = fitNbRegression(Xs, ys, ["const", "odd"])
    expect(fit.alpha).toBe(0)
    expect(fit.seAlpha).toBeNull()
    expect(fit.warnings.join("\n")).toMatch(/alpha is 0/)
    const poisson = fitNbRegression(Xs, ys, ["const", "odd"], { alpha: 0 })
    expect(fit.llf).toBeCloseTo(poisson.llf, 8)
    // Poisson MLE with an intercept and a dummy: the fitted means are the group means.
    let even = 0
    let odd = 0
    for (let i = 0; i < m; i++) {
      if (i % 2 === 0) even += ys[i]!
      else odd += ys[i]!
    }
    expect(Math.exp(poisson.beta[0]!)).toBeCloseTo(even / (m / 2), 8)
    expect(Math.exp(poisson.beta[0]! + poisson.beta[1]!)).toBeCloseTo(odd / (m / 2), 8)
  })

  it("fails with ModelFitError, not NaN, on all-zero or invalid counts", () => {
    expect(() => fitNbRegression(X, new Float64Array(n), columns)).toThrow(ModelFitError)
    expect(() => fitNbRegression(X, new Float64Array(n), columns)).toThrow(/every count is zero/)
    const bad = Float64Array.from(y)
    bad[7] = Number.NaN
    expect(() => fitNbRegression(X, bad, columns)).toThrow(/count 7/)
    bad[7] = -1
    expect(() => fitNbRegression(X, bad, columns)).toThrow(ModelFitError)
  })
})
