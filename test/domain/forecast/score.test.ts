/** A forecast's score against independent, direct computations of each metric. */
import { describe, expect, it } from "vitest"
import { compactSample, expandSample } from "../../../src/domain/forecast/sample"
import { scoreWindowTotal } from "../../../src/domain/forecast/score"
import { Rng } from "../../../src/domain/random"
import { sortedCopy } from "../../../src/domain/stats/quantile"
import { crpsByDefinition } from "../../support/crps-reference"

describe("scoreWindowTotal", () => {
  const rng = Rng.seeded(3)
  const sample = sortedCopy(Array.from({ length: 1500 }, () => rng.negativeBinomial(480, 0.05)))

  it("CRPS equals the pairwise definition", () => {
    for (const y of [300, 470, 480, 512, 900]) expect(scoreWindowTotal(sample, y, 0.5).crps).toBeCloseTo(crpsByDefinition(sample, y), 8)
  })

  it("PIT and the central intervals follow their definitions", () => {
    const y = 480
    const below = sample.filter((x) => x < y).length
    const atOrBelow = sample.filter((x) => x <= y).length
    expect(scoreWindowTotal(sample, y, 0.25).pit).toBeCloseTo((below + 0.25 * (atOrBelow - below)) / sample.length, 12)
    const s = scoreWindowTotal(sample, sample[Math.floor(sample.length / 2)]!, 0.5)
    expect([s.inside50, s.inside80, s.inside95]).toEqual([true, true, true])
    const far = scoreWindowTotal(sample, sample[sample.length - 1]! + 100, 0.5)
    expect([far.inside50, far.inside80, far.inside95]).toEqual([false, false, false])
    expect(far.pit).toBe(1)
    expect(far.logScore).toBeGreaterThan(s.logScore)
  })

  it("refuses unsorted totals", () => {
    expect(() => scoreWindowTotal([3, 1, 2], 2, 0.5)).toThrow(/sorted/)
  })
})

describe("compact sample", () => {
  it("round-trips exactly and stores each distinct value once", () => {
    const xs = sortedCopy([5, 1, 5, 2.25, 1, 1, 1e-9, 5])
    const c = compactSample(xs)
    expect(c).toEqual({ values: [1e-9, 1, 2.25, 5], counts: [1, 3, 1, 3] })
    expect(Array.from(expandSample(c))).toEqual(Array.from(xs))
    expect(Array.from(expandSample(JSON.parse(JSON.stringify(c))))).toEqual(Array.from(xs))
    expect(() => compactSample([2, 1])).toThrow(/sorted/)
  })
})
