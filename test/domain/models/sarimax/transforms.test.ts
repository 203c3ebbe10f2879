import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  constrainMa,
  constrainStationary,
  constrainStationaryJacobian,
  isStationary,
  unconstrainMa,
  unconstrainStationary
} from "../../../../src/domain/models/sarimax/transforms"
import { differencingCoefficients, expandedAr, expandedMa } from "../../../../src/domain/models/sarimax/polynomial"

const finite = fc.double({ min: -30, max: 30, noNaN: true })

describe("Monahan/Jones transforms (statsmodels' constrain/unconstrain_stationary_univariate)", () => {
  it("order 1: φ = −x/√(1+x²) (statsmodels' sign), MA block negated", () => {
    for (const x of [-3, -0.5, 0, 0.7, 12]) {
      expect(constrainStationary([x])[0]).toBeCloseTo(-x / Math.sqrt(1 + x * x), 15)
      expect(constrainMa([x])[0]).toBeCloseTo(x / Math.sqrt(1 + x * x), 15)
    }
  })

  it("order 2 by the Durbin–Levinson step written out: φ = (−r1(1+r2), −r2)", () => {
    const [x1, x2] = [0.8, -1.7]
    const r1 = x1 / Math.sqrt(1 + x1 * x1)
    const r2 = x2 / Math.sqrt(1 + x2 * x2)
    const c = constrainStationary([x1, x2])
    expect(c[0]).toBeCloseTo(-r1 * (1 + r2), 14)
    expect(c[1]).toBeCloseTo(-r2, 14)
  })

  it("AR(2) images satisfy the stationarity triangle, and unconstrain inverts constrain", () => {
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        const [f1, f2] = constrainStationary([a, b])
        expect(f1! + f2!).toBeLessThan(1)
        expect(f2! - f1!).toBeLessThan(1)
        expect(Math.abs(f2!)).toBeLessThan(1)
        const back = unconstrainStationary([f1!, f2!])!
        expect(back[0]).toBeCloseTo(a, 6)
        expect(back[1]).toBeCloseTo(b, 6)
      })
    )
  })

  it("round trip for MA blocks of order 3", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }), (x) => {
        const back = unconstrainMa(constrainMa(x))!
        x.forEach((v, i) => expect(back[i]).toBeCloseTo(v, 8))
      })
    )
  })

  it("non-stationary coefficients are rejected", () => {
    expect(isStationary([1.01])).toBe(false)
    expect(isStationary([0.5, 0.6])).toBe(false) // φ1 + φ2 > 1
    expect(isStationary([0.5, 0.3])).toBe(true)
  })

  it("Jacobian matches central differences", () => {
    const x = [0.3, -1.2, 2.5]
    const J = constrainStationaryJacobian(x)
    for (let j = 0; j < 3; j++) {
      const h = 1e-6
      const up = constrainStationary(x.map((v, i) => (i === j ? v + h : v)))
      const dn = constrainStationary(x.map((v, i) => (i === j ? v - h : v)))
      for (let i = 0; i < 3; i++) expect(J[i * 3 + j]).toBeCloseTo((up[i]! - dn[i]!) / (2 * h), 8)
    }
  })
})

describe("lag polynomials", () => {
  it("(1 − φL)(1 − ΦL²⁴) expands to φ̃_1 = φ, φ̃_24 = Φ, φ̃_25 = −φΦ", () => {
    const a = expandedAr([0.5], [0.6], 24)
    expect(a.length).toBe(25)
    expect(a[0]).toBe(0.5)
    expect(a[23]).toBe(0.6)
    expect(a[24]).toBeCloseTo(-0.3, 15)
    expect(a.slice(1, 23).every((v) => v === 0)).toBe(true)
  })

  it("(1 + θL)(1 + ΘL²⁴) expands to θ̃_1 = θ, θ̃_24 = Θ, θ̃_25 = θΘ", () => {
    const m = expandedMa([-0.2], [-0.3], 24)
    expect([m[0], m[23], m[24]]).toEqual([-0.2, -0.3, expect.closeTo(0.06, 15)])
  })

  it("differencing (1 − L)(1 − L⁴) = 1 − L − L⁴ + L⁵ gives δ = (1, 0, 0, 1, −1)", () => {
    expect(Array.from(differencingCoefficients(1, 1, 4))).toEqual([1, 0, 0, 1, -1])
    expect(Array.from(differencingCoefficients(2, 0, 0))).toEqual([2, -1])
  })
})
