import { describe, expect, it } from "vitest"
import { logFactorial, Rng } from "../../src/domain/random"

const moments = (draw: () => number, n: number) => {
  let s = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const x = draw()
    s += x
    s2 += x * x
  }
  const mean = s / n
  return { mean, variance: s2 / n - mean * mean }
}

describe("Rng", () => {
  it("is deterministic per seed and differs between seeds", () => {
    const a = Rng.seeded(7)
    const b = Rng.seeded(7)
    const c = Rng.seeded(8)
    const xs = Array.from({ length: 5 }, () => a.uniform())
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs)
  })

  it("gives independent, reproducible streams", () => {
    const [s0, s1] = Rng.streams(3, 2)
    const [t0, t1] = Rng.streams(3, 2)
    const a = Array.from({ length: 4 }, () => s0!.uniform())
    expect(Array.from({ length: 4 }, () => t0!.uniform())).toEqual(a)
    expect(Array.from({ length: 4 }, () => s1!.uniform())).not.toEqual(a)
    expect(Array.from({ length: 4 }, () => t1!.uniform())).not.toEqual(a)
  })

  it("draws uniforms in [0,1) with mean 1/2 and variance 1/12", () => {
    const r = Rng.seeded(1)
    let min = 1
    let max = 0
    const m = moments(() => {
      const u = r.uniform()
      min = Math.min(min, u)
      max = Math.max(max, u)
      return u
    }, 200_000)
    expect(min).toBeGreaterThanOrEqual(0)
    expect(max).toBeLessThan(1)
    expect(m.mean).toBeCloseTo(0.5, 2)
    expect(m.variance).toBeCloseTo(1 / 12, 2)
  })

  it("draws normals, exponentials and gammas with the right first two moments", () => {
    const r = Rng.seeded(2)
    const n = 200_000
    const z = moments(() => r.normal(), n)
    expect(Math.abs(z.mean)).toBeLessThan(0.01)
    expect(z.variance).toBeCloseTo(1, 1)
    const e = moments(() => r.exponential(), n)
    expect(e.mean).toBeCloseTo(1, 1)
    for (const shape of [0.4, 1, 3.5, 40]) {
      const g = moments(() => r.gamma(shape), n)
      // Gamma(k, 1): mean k, variance k; 5 standard errors of the mean.
      expect(Math.abs(g.mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n))
      expect(g.variance / shape).toBeCloseTo(1, 1)
    }
  })

  it("draws Poisson counts with the exact pmf, in both the inversion and the PTRS regimes", () => {
    const r = Rng.seeded(3)
    for (const mean of [0.3, 4, 29.5, 30.5, 250]) {
      const n = 100_000
      const counts = new Map<number, number>()
      for (let i = 0; i < n; i++) {
        const k = r.poisson(mean)
        expect(Number.isInteger(k) && k >= 0).toBe(true)
        counts.set(k, (counts.get(k) ?? 0) + 1)
      }
      // χ² against the exact pmf over cells with expected count >= 20.
      let chi2 = 0
      let cells = 0
      for (let k = 0; k < mean * 3 + 20; k++) {
        const p = Math.exp(-mean + k * Math.log(mean) - logFactorial(k))
        const expected = n * p
        if (expected < 20) continue
        chi2 += ((counts.get(k) ?? 0) - expected) ** 2 / expected
        cells++
      }
      // Mean + 5 sd of a χ² with `cells` degrees of freedom: fails only on a wrong distribution.
      expect(chi2).toBeLessThan(cells + 5 * Math.sqrt(2 * cells))
    }
    expect(r.poisson(0)).toBe(0)
    expect(() => r.poisson(-1)).toThrow(RangeError)
  })

  it("draws NB2 counts with mean mu and variance mu + alpha mu^2", () => {
    const r = Rng.seeded(4)
    const m = moments(() => r.negativeBinomial(3, 0.5), 200_000)
    expect(m.mean).toBeCloseTo(3, 1)
    expect(m.variance / (3 + 0.5 * 9)).toBeCloseTo(1, 1)
    expect(moments(() => r.negativeBinomial(2, 0), 100_000).variance / 2).toBeCloseTo(1, 1)
  })
})

describe("logFactorial", () => {
  it("matches the sum of logs in the table and in Stirling's range", () => {
    let s = 0
    for (let k = 1; k <= 600; k++) {
      s += Math.log(k)
      expect(Math.abs(logFactorial(k) - s) / Math.max(1, s)).toBeLessThan(1e-13)
    }
    expect(logFactorial(0)).toBe(0)
  })
})
