import { describe, expect, it } from "vitest"
import { chiSquareSurvival, ljungBox, logGamma } from "../../../../src/domain/models/sarimax/ljung-box"
import { filterData } from "../../../../src/domain/models/sarimax/design"
import { fitMle } from "../../../../src/domain/models/sarimax/mle"
import { Rng } from "../../../../src/domain/random"
import { simulateArma } from "./helpers"

describe("Ljung–Box", () => {
  it("χ² tail at tabulated 95% quantiles is 0.05", () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 10)
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 10)
    expect(chiSquareSurvival(55.75847927888702, 40)).toBeCloseTo(0.05, 10)
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13)
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12)
  })

  it("does not reject white noise and rejects an AR(1)", () => {
    const rng = Rng.seeded(17)
    const e = Float64Array.from({ length: 2000 }, () => rng.normal())
    expect(ljungBox(e, 24, 0).pValue).toBeGreaterThan(0.01)
    const ar = simulateArma([0.5], [], 1, 2000, 17)
    const lb = ljungBox(ar, 24, 0)
    expect(lb.df).toBe(24)
    expect(lb.pValue).toBeLessThan(1e-10)
  })
})

describe("MLE diagnostics on simulated data", () => {
  const n = 3000
  const y = simulateArma([0.6], [], Math.sqrt(0.5), n, 23)
  const res = fitMle({ p: 1, d: 0, q: 0, P: 0, D: 0, Q: 0, s: 0 }, filterData(y, "n", 1, new Float64Array(0), 0), {
    maxIterations: 100,
    gradTol: 1e-8
  })

  it("recovers an AR(1) and converges", () => {
    expect(res.converged).toBe(true)
    expect(Math.abs(res.psi[0]! - 0.6)).toBeLessThan(0.05)
    expect(Math.abs(res.sigma2 - 0.5)).toBeLessThan(0.05)
  })

  it("Hessian standard errors match the asymptotic ones: √((1 − φ²)/n) and σ²√(2/n)", () => {
    const [sePhi, seS2] = res.standardErrors as number[]
    const phi = res.psi[0]!
    expect(sePhi! / Math.sqrt((1 - phi * phi) / n)).toBeCloseTo(1, 1)
    expect(seS2! / (res.sigma2 * Math.sqrt(2 / n))).toBeCloseTo(1, 1)
  })

  it("Ljung–Box on the standardised residuals of the true model does not reject", () => {
    expect(res.ljungBox[0]!.pValue).toBeGreaterThan(0.01)
  })
})
