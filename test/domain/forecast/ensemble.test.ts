import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fitLinearPool, poolCrps, poolTerms, pruneWeights, type PoolWindow } from "../../../src/domain/forecast/ensemble"
import { selectPoolData } from "../../../src/domain/forecast/ensemble-windows"
import { crpsSorted } from "../../../src/domain/metrics/crps"
import { Rng } from "../../../src/domain/random"
import { sortedCopy } from "../../../src/domain/stats/quantile"

/** A normal-ish distribution as 99 equally likely atoms (its percentiles, by sorting many draws). */
const atoms = (rng: Rng, mean: number, sd: number): number[] => {
  const xs = sortedCopy(Array.from({ length: 990 }, () => mean + sd * rng.normal()))
  return Array.from({ length: 99 }, (_, k) => xs[k * 10 + 5]!)
}

/** Brute-force CRPS of a pool from explicit mixture samples: atom lists repeated in proportion to the weights. */
const mixtureCrps = (w: PoolWindow, counts: ReadonlyArray<number>): number => {
  const sample: number[] = []
  w.atoms.forEach((a, i) => {
    for (let r = 0; r < counts[i]!; r++) for (let k = 0; k < a.length; k++) sample.push(a[k]!)
  })
  return crpsSorted(sortedCopy(sample), w.actual)
}

const makeWindows = (seed: number, n: number, specs: ReadonlyArray<{ bias: number; sd: number }>): PoolWindow[] => {
  const rng = Rng.seeded(seed)
  return Array.from({ length: n }, (_, t) => {
    const truth = 500 + 40 * rng.normal()
    return { origin: t, actual: Math.round(truth), atoms: specs.map((s) => atoms(rng, truth + s.bias + 20 * rng.normal(), s.sd)) }
  })
}

describe("linear pool CRPS", () => {
  const windows = makeWindows(7, 6, [
    { bias: 30, sd: 25 },
    { bias: -25, sd: 30 },
    { bias: 0, sd: 8 }
  ])
  const terms = poolTerms(windows, 3)

  it("equals the CRPS of the explicit mixture sample", () => {
    for (const counts of [[1, 0, 0], [0, 0, 1], [1, 1, 0], [1, 2, 1], [3, 1, 2]]) {
      const total = counts.reduce((a, b) => a + b, 0)
      const direct = windows.reduce((s, w) => s + mixtureCrps(w, counts), 0) / windows.length
      expect(poolCrps(terms, counts.map((c) => c / total))).toBeCloseTo(direct, 9)
    }
  })

  it("gives each member's own CRPS", () => {
    const fit = fitLinearPool(terms)
    fit.memberCrps.forEach((c, i) => {
      const direct = windows.reduce((s, w) => s + crpsSorted(w.atoms[i]!, w.actual), 0) / windows.length
      expect(c).toBeCloseTo(direct, 9)
    })
  })
})

describe("fitLinearPool", () => {
  /** Independent check: the best point of a fine grid on the 3-simplex. */
  const gridMin = (terms: ReturnType<typeof poolTerms>) => {
    let best = { f: Infinity, w: [0, 0, 0] }
    const N = 200
    for (let i = 0; i <= N; i++)
      for (let j = 0; i + j <= N; j++) {
        const w = [i / N, j / N, (N - i - j) / N]
        const f = poolCrps(terms, w)
        if (f < best.f) best = { f, w }
      }
    return best
  }

  it("finds the simplex minimum of the mean CRPS (checked against a grid search)", () => {
    for (const seed of [1, 2, 3, 4]) {
      const terms = poolTerms(
        makeWindows(seed, 8, [
          { bias: 35, sd: 20 },
          { bias: -30, sd: 25 },
          { bias: 5, sd: 60 }
        ]),
        3
      )
      const fit = fitLinearPool(terms)
      const grid = gridMin(terms)
      expect(fit.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
      fit.weights.forEach((w) => expect(w).toBeGreaterThanOrEqual(0))
      expect(fit.meanCrps).toBeLessThanOrEqual(grid.f + 1e-9)
      expect(fit.meanCrps).toBeGreaterThan(grid.f - 0.05)
      fit.weights.forEach((w, i) => expect(Math.abs(w - grid.w[i]!)).toBeLessThan(0.03))
      expect(fit.meanCrps).toBeLessThanOrEqual(Math.min(...fit.memberCrps) + 1e-12)
    }
  })

  it("mixes two opposite biases and gives a far-off model (almost) no weight", () => {
    const opposite = fitLinearPool(poolTerms(makeWindows(11, 10, [{ bias: 60, sd: 10 }, { bias: -60, sd: 10 }]), 2))
    expect(opposite.weights[0]).toBeGreaterThan(0.3)
    expect(opposite.weights[1]).toBeGreaterThan(0.3)
    // A calibrated model (its spread matches the ±20 noise of its centre) against one 400 posts off.
    const dominated = fitLinearPool(poolTerms(makeWindows(12, 10, [{ bias: 0, sd: 25 }, { bias: 400, sd: 10 }]), 2))
    expect(dominated.weights[1]).toBeLessThan(0.01)
  })

  it("is deterministic and stays on the simplex for random terms", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 5 }), (seed, m) => {
        const rng = Rng.seeded(seed)
        const specs = Array.from({ length: m }, () => ({ bias: 80 * rng.normal(), sd: 5 + 50 * rng.uniform() }))
        const terms = poolTerms(makeWindows(seed, 3, specs), m)
        const a = fitLinearPool(terms)
        const b = fitLinearPool(terms)
        expect(a).toEqual(b)
        expect(Math.abs(a.weights.reduce((s, w) => s + w, 0) - 1)).toBeLessThan(1e-12)
        a.weights.forEach((w) => expect(w).toBeGreaterThanOrEqual(0))
        // No vertex does better than the optimum.
        for (let i = 0; i < m; i++) expect(a.meanCrps).toBeLessThanOrEqual(a.memberCrps[i]! + 1e-9)
      }),
      { numRuns: 40 }
    )
  })

  it("prunes small weights and renormalises", () => {
    expect(pruneWeights([0.5, 0.495, 0.005], 0.01)).toEqual([0.5 / 0.995, 0.495 / 0.995, 0])
  })
})

describe("selectPoolData", () => {
  const q = (base: number) => Array.from({ length: 99 }, (_, k) => ({ level: (k + 1) / 100, value: base + k }))

  it("keeps the origins every candidate evaluated, in registry order", () => {
    const rows = [
      { model: "hawkes" as const, origin: 2, actual: 10, quantiles: q(0) },
      { model: "negative_binomial" as const, origin: 1, actual: 20, quantiles: q(1) },
      { model: "negative_binomial" as const, origin: 2, actual: 10, quantiles: q(2) },
      { model: "hawkes" as const, origin: 3, actual: 30, quantiles: q(3) }
    ]
    const d = selectPoolData(rows)
    if (typeof d === "string") throw new Error(d)
    expect(d.candidates).toEqual(["negative_binomial", "hawkes"])
    expect(d.origins).toEqual([2])
    expect(d.windows[0]!.actual).toBe(10)
    expect(d.windows[0]!.atoms[0]![0]).toBe(2)
    expect(d.windows[0]!.atoms[1]![0]).toBe(0)
  })

  it("drops the candidate with the fewest windows when no origin is shared", () => {
    const rows = [
      { model: "negative_binomial" as const, origin: 1, actual: 5, quantiles: q(0) },
      { model: "negative_binomial" as const, origin: 2, actual: 5, quantiles: q(0) },
      { model: "sarimax" as const, origin: 3, actual: 5, quantiles: q(0) }
    ]
    const d = selectPoolData(rows)
    if (typeof d === "string") throw new Error(d)
    expect(d.candidates).toEqual(["negative_binomial"])
    expect(d.origins).toEqual([1, 2])
  })

  it("refuses quantiles that are not equally likely atoms, and empty input", () => {
    expect(selectPoolData([{ model: "hawkes", origin: 0, actual: 1, quantiles: [0.1, 0.5, 0.9].map((level) => ({ level, value: 1 })) }])).toMatch(/not equally spaced percentiles/)
    expect(selectPoolData([])).toMatch(/no evaluated windows/)
  })
})
