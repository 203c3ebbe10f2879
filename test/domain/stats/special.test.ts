import { describe, expect, it } from "vitest"
import { digamma, lgamma, trigamma } from "../../../src/domain/stats/special"

const EULER_GAMMA = 0.5772156649015329

describe("special functions", () => {
  it("known values", () => {
    expect(lgamma(1)).toBe(0)
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14)
    expect(lgamma(11)).toBeCloseTo(Math.log(3628800), 12)
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14)
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.log(2), 14)
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 14)
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 13)
  })

  it("recurrences over a range of arguments", () => {
    for (const x of [0.01, 0.3, 1.7, 12.5, 333.3, 1e6]) {
      expect(Math.abs(lgamma(x + 1) - lgamma(x) - Math.log(x))).toBeLessThan(1e-12 * Math.max(1, Math.abs(lgamma(x + 1))))
      expect(Math.abs(digamma(x + 1) - digamma(x) - 1 / x)).toBeLessThan(1e-12 * Math.max(1, 1 / x, Math.abs(digamma(x))))
      expect(Math.abs(trigamma(x) - trigamma(x + 1) - 1 / (x * x))).toBeLessThan(1e-12 * Math.max(1, trigamma(x)))
    }
  })

  it("digamma and trigamma are derivatives of lgamma", () => {
    for (const x of [0.4, 2.2, 9]) {
      const h = 1e-5
      expect(digamma(x)).toBeCloseTo((lgamma(x + h) - lgamma(x - h)) / (2 * h), 8)
      expect(trigamma(x)).toBeCloseTo((digamma(x + h) - digamma(x - h)) / (2 * h), 7)
    }
  })
})
