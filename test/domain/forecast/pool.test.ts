import { describe, expect, it } from "vitest"
import { assignPaths, combinePaths } from "../../../src/domain/forecast/pool"
import { Rng } from "../../../src/domain/random"

describe("assignPaths", () => {
  it("assigns every path to a member with probability equal to its weight", () => {
    const w = [0.5, 0, 0.3, 0.2]
    const n = 200_000
    const a = assignPaths(w, n, Rng.seeded(5))
    expect(a.counts.reduce((s, c) => s + c, 0)).toBe(n)
    expect(a.counts[1]).toBe(0)
    w.forEach((p, i) => {
      // Binomial standard error; 5 sigma.
      expect(Math.abs(a.counts[i]! / n - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n) + 1e-12)
    })
    const again = assignPaths(w, n, Rng.seeded(5))
    expect(again.memberOf).toEqual(a.memberOf)
  })

  it("refuses weights that are negative or do not sum to 1", () => {
    expect(() => assignPaths([0.5, 0.6], 10, Rng.seeded(1))).toThrow(/sum to 1/)
    expect(() => assignPaths([1.5, -0.5], 10, Rng.seeded(1))).toThrow(/non-negative/)
    expect(() => assignPaths([1], 0, Rng.seeded(1))).toThrow(/positive integer/)
  })
})

describe("combinePaths", () => {
  it("takes each member's paths in order", () => {
    const memberOf = Int32Array.from([1, 0, 1, 1, 0])
    const a = { origin: 0, hours: 2, paths: 2, values: Float64Array.from([1, 1, 2, 2]) }
    const b = { origin: 0, hours: 2, paths: 3, values: Float64Array.from([10, 10, 20, 20, 30, 30]) }
    const c = combinePaths({ memberOf, counts: [2, 3] }, [a, b])
    expect(Array.from(c.values)).toEqual([10, 10, 1, 1, 20, 20, 30, 30, 2, 2])
    expect(c.paths).toBe(5)
    expect(() => combinePaths({ memberOf, counts: [2, 3] }, [a, undefined])).toThrow(/has no simulation/)
  })
})
