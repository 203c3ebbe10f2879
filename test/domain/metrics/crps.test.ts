import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { crpsSamples, crpsSorted } from "../../../src/domain/metrics/crps"
import { crpsByDefinition } from "../../support/crps-reference"

/** ∫ (F̂(x) − 1{x ≥ y})² dx computed exactly over the piecewise-constant pieces (an independent formula). */
const crpsIntegral = (xs: number[], y: number): number => {
  const pts = [...xs, y].sort((a, b) => a - b)
  const n = xs.length
  let s = 0
  for (let k = 0; k + 1 < pts.length; k++) {
    const lo = pts[k]!
    const hi = pts[k + 1]!
    if (hi === lo) continue
    const F = xs.filter((x) => x <= lo).length / n
    const H = lo >= y ? 1 : 0
    s += (F - H) ** 2 * (hi - lo)
  }
  return s
}

describe("CRPS from samples", () => {
  it("hand-computed: samples {1, 2, 4}, y = 3 gives 2/3", () => {
    // E|X−y| = (2+1+1)/3 = 4/3; E|X−X′| = (1+3+1+2+3+2)/9 = 12/9; 4/3 − 6/9 = 2/3
    expect(crpsSamples([4, 1, 2], 3)).toBeCloseTo(2 / 3, 14)
  })

  it("a single sample scores its absolute error", () => {
    expect(crpsSamples([7], 3)).toBe(4)
  })

  it("a sample that equals the outcome everywhere scores 0", () => {
    expect(crpsSamples([5, 5, 5, 5], 5)).toBe(0)
  })

  it("equals the O(n²) definition and the integral of the squared CDF difference", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -5, max: 70 }),
        (xs, y) => {
          const fast = crpsSamples(xs, y)
          expect(fast).toBeCloseTo(crpsByDefinition(xs, y), 9)
          expect(fast).toBeCloseTo(crpsIntegral(xs, y), 9)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("crpsSorted on sorted input equals crpsSamples on shuffled input", () => {
    const xs = [9, 1, 4, 4, 12, 0, 3]
    expect(crpsSorted([...xs].sort((a, b) => a - b), 5)).toBeCloseTo(crpsSamples(xs, 5), 14)
  })

  it("throws on an empty sample", () => {
    expect(() => crpsSamples([], 1)).toThrow(RangeError)
  })
})
