import { describe, expect, it } from "vitest"
import { centralInterval, coverage, inside } from "../../../src/domain/metrics/interval"
import { pitHistogram, randomizedPit } from "../../../src/domain/metrics/pit"
import { Rng } from "../../../src/domain/random"

describe("central intervals", () => {
  it("type-7 bounds of 1..10 at 80%: [1.9, 9.1]", () => {
    // (n−1)p = 0.9 → 1 + 0.9; (n−1)·0.9 = 8.1 → 9 + 0.1
    const iv = centralInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.8)
    expect(iv.lo).toBeCloseTo(1.9, 14)
    expect(iv.hi).toBeCloseTo(9.1, 14)
    expect(inside(iv, 1.9)).toBe(true)
    expect(inside(iv, 9.1)).toBe(true)
    expect(inside(iv, 9.2)).toBe(false)
    expect(inside(iv, 1)).toBe(false)
  })

  it("coverage is the share inside", () => {
    const iv = centralInterval([0, 10], 0.5) // [2.5, 7.5]
    expect(coverage([iv, iv, iv, iv], [2.5, 8, 5, 0])).toBe(0.5)
  })

  it("rejects levels outside (0,1)", () => {
    expect(() => centralInterval([1, 2], 1)).toThrow(RangeError)
  })
})

describe("randomised PIT", () => {
  it("hand-computed: samples {1,2,2,3}", () => {
    const s = [1, 2, 2, 3]
    // F(2⁻) = 1/4, F(2) = 3/4 → 1/4 + v/2
    expect(randomizedPit(s, 2, 0.5)).toBe(0.5)
    expect(randomizedPit(s, 2, 0)).toBe(0.25)
    expect(randomizedPit(s, 0, 0.7)).toBe(0)
    expect(randomizedPit(s, 4, 0.3)).toBe(1)
    expect(randomizedPit(s, 2.5, 0.9)).toBe(0.75)
  })

  it("is uniform when the outcome comes from the forecast distribution (discrete Poisson(3))", () => {
    // The plain PIT F(y) of a discrete variable is far from uniform; the randomised one is exactly uniform.
    const rng = Rng.seeded(7)
    const pits: number[] = []
    const plain: number[] = []
    for (let trial = 0; trial < 2000; trial++) {
      const sample = Float64Array.from({ length: 400 }, () => rng.poisson(3)).sort()
      const y = rng.poisson(3)
      pits.push(randomizedPit(sample, y, rng.uniform()))
      plain.push(randomizedPit(sample, y, 1))
    }
    // χ²(9): 99.9th percentile is 27.9
    expect(pitHistogram(pits).chiSquare).toBeLessThan(27.9)
    expect(pitHistogram(plain).chiSquare).toBeGreaterThan(100)
  })
})

describe("PIT histogram", () => {
  it("hand-computed counts and χ²", () => {
    const h = pitHistogram([0, 0.05, 0.1, 0.95, 1], 10)
    expect(h.counts).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2])
    // expected 0.5 per bin: 2·(1.5²/0.5) + 0.5²/0.5 + 7·(0.5²/0.5) = 9 + 0.5 + 3.5
    expect(h.chiSquare).toBeCloseTo(13, 12)
    expect(h.degreesOfFreedom).toBe(9)
    expect(h.frequencies[0]).toBe(0.4)
  })

  it("rejects values outside [0,1]", () => {
    expect(() => pitHistogram([1.1])).toThrow(RangeError)
  })
})
