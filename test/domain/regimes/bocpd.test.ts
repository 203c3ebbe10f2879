import { describe, expect, it } from "vitest"
import { bocpd, lgammaFast } from "../../../src/domain/regimes/bocpd"
import type { DailySeries } from "../../../src/domain/regimes/daily"
import { lgamma } from "../../../src/domain/stats/special"
import { Rng } from "../../../src/domain/random"
import { DAY_MS } from "../../../src/domain/time"

const START = Date.parse("2024-01-01T00:00:00Z")
const series = (counts: number[]): DailySeries => ({ start: START, counts: Float64Array.from(counts) })

/** Days of Poisson(λ₁) then Poisson(λ₂), or NB2 with dispersion alpha when given. */
const synthetic = (seed: number, segments: ReadonlyArray<[days: number, mean: number]>, alpha = 0): number[] => {
  const rng = Rng.seeded(seed)
  const out: number[] = []
  for (const [days, mean] of segments) for (let d = 0; d < days; d++) out.push(alpha > 0 ? rng.negativeBinomial(mean, alpha) : rng.poisson(mean))
  return out
}

describe("BOCPD recursion", () => {
  it("matches brute-force enumeration of every segmentation (Poisson–Gamma, fixed prior)", () => {
    // Product-partition model: the first regime starts at day 0; before every later day a new regime
    // starts with probability H. A segment's marginal likelihood under λ ~ Gamma(a, b) is
    // b^a/Γ(a) · Γ(a+S)/(b+n)^(a+S) / Π x!. P(r_t = r | x_0..t) sums the segmentations whose last segment has length r.
    const xs = [3, 5, 4, 12, 14, 11, 2, 3]
    const H = 0.2
    const priorMean = 6
    const priorDays = 0.5
    const a = priorMean * priorDays
    const b = priorDays
    const segLog = (seg: number[]) => {
      const S = seg.reduce((s, x) => s + x, 0)
      return a * Math.log(b) - lgamma(a) + lgamma(a + S) - (a + S) * Math.log(b + seg.length) - seg.reduce((s, x) => s + lgamma(x + 1), 0)
    }
    const result = bocpd(series(xs), {
      hazard: H,
      likelihood: { kind: "poisson_gamma" },
      priorMean,
      priorDays,
      pruneBelow: 0,
      minRunDays: 2,
      windowDays: 3
    })
    for (let t = 0; t < xs.length; t++) {
      const n = t + 1
      const post = new Array<number>(n + 1).fill(0)
      // each mask bit i (1..n−1) = a regime starts at day i
      for (let mask = 0; mask < 1 << (n - 1); mask++) {
        const starts = [0]
        for (let i = 1; i < n; i++) if (mask & (1 << (i - 1))) starts.push(i)
        let lp = 0
        for (let i = 1; i < n; i++) lp += Math.log(mask & (1 << (i - 1)) ? H : 1 - H)
        starts.forEach((s, k) => (lp += segLog(xs.slice(s, starts[k + 1] ?? n))))
        post[n - starts[starts.length - 1]!]! += Math.exp(lp)
      }
      const z = post.reduce((s, p) => s + p, 0)
      const p = post.map((v) => v / z)
      const mean = p.reduce((s, v, r) => s + v * r, 0)
      const map = p.indexOf(Math.max(...p))
      const pShort = p.slice(0, 7).reduce((s, v) => s + v, 0)
      const pWindow = p.slice(2, 4).reduce((s, v) => s + v, 0)
      const step = result.trace[t]!
      expect(step.mean).toBeCloseTo(mean, 10)
      expect(step.map).toBe(map)
      expect(step.pShort).toBeCloseTo(pShort, 10)
      expect(step.pRecent).toBeCloseTo(pWindow, 10)
    }
  })

  it("pruning at 1e-10 leaves the run-length summaries unchanged (vs no pruning)", () => {
    const xs = synthetic(3, [[150, 30], [150, 60], [100, 25]], 0.2)
    const pruned = bocpd(series(xs))
    const full = bocpd(series(xs), { pruneBelow: 0 })
    expect(full.trace[xs.length - 1]!.kept).toBe(xs.length)
    expect(Math.max(...pruned.trace.map((s) => s.kept))).toBeLessThan(xs.length / 2)
    pruned.trace.forEach((s, t) => {
      expect(s.mean).toBeCloseTo(full.trace[t]!.mean, 5)
      expect(s.pRecent).toBeCloseTo(full.trace[t]!.pRecent, 6)
      expect(s.map).toBe(full.trace[t]!.map)
    })
    expect(pruned.detections.map((d) => [d.dayStart, d.detectedAt])).toEqual(full.detections.map((d) => [d.dayStart, d.detectedAt]))
    pruned.detections.forEach((d, i) => expect(d.probability).toBeCloseTo(full.detections[i]!.probability, 6))
  })

  it("lgammaFast agrees with lgamma", () => {
    for (const x of [0.5, 3, 9.99, 10, 10.5, 37.25, 1e3 + 0.1, 123456.7, 9.9e6]) {
      expect(Math.abs(lgammaFast(x) - lgamma(x))).toBeLessThan(1e-12 * Math.max(1, Math.abs(lgamma(x))))
    }
  })
})

describe("BOCPD detections", () => {
  it("finds a known change point in Poisson data (Poisson–Gamma likelihood), and nothing in the flat parts", () => {
    const xs = synthetic(42, [[120, 20], [120, 40]])
    const { detections } = bocpd(series(xs), { likelihood: { kind: "poisson_gamma" } })
    expect(detections).toHaveLength(1)
    const d = detections[0]!
    expect(Math.abs((d.dayStart - START) / DAY_MS - 120)).toBeLessThanOrEqual(2)
    // detected once the new regime has lasted minRunDays (7) and no later than the 21-day window
    const lag = (d.detectedAt - START) / DAY_MS - 120
    expect(lag).toBeGreaterThanOrEqual(7)
    expect(lag).toBeLessThanOrEqual(21)
    expect(d.levelBefore).toBeGreaterThan(17)
    expect(d.levelBefore).toBeLessThan(23)
    expect(d.levelAfter).toBeGreaterThan(35)
    expect(d.levelAfter).toBeLessThan(45)
    expect(d.probability).toBeGreaterThanOrEqual(0.5)
    expect(d.runLength!.map).toBeGreaterThanOrEqual(7)
  })

  it("finds a downward change in overdispersed (NB2, α = 0.1) data with the default NB likelihood", () => {
    const xs = synthetic(7, [[150, 120], [150, 50]], 0.1)
    const { detections } = bocpd(series(xs))
    expect(detections).toHaveLength(1)
    expect(Math.abs((detections[0]!.dayStart - START) / DAY_MS - 150)).toBeLessThanOrEqual(3)
    expect(detections[0]!.levelAfter).toBeLessThan(detections[0]!.levelBefore / 1.5)
  })

  it("ignores a two-day outage (0 posts) inside a steady regime", () => {
    const xs = synthetic(11, [[200, 100]], 0.2)
    xs[100] = 2
    xs[101] = 0
    expect(bocpd(series(xs)).detections).toHaveLength(0)
  })

  it("is online: every detection is reproduced from the days before its detectedAt alone", () => {
    const xs = synthetic(5, [[90, 20], [60, 45], [80, 15], [70, 30]], 0.15)
    const full = bocpd(series(xs))
    expect(full.detections.length).toBeGreaterThanOrEqual(2)
    for (const d of full.detections) {
      const upTo = (d.detectedAt - START) / DAY_MS
      const prefix = bocpd(series(xs.slice(0, upTo)))
      expect(prefix.detections[prefix.detections.length - 1]).toEqual(d)
      expect(prefix.trace).toEqual(full.trace.slice(0, upTo))
    }
    // and a change of the future does not move the past
    const altered = [...xs]
    for (let t = 200; t < altered.length; t++) altered[t] = 500
    const other = bocpd(series(altered))
    expect(other.trace.slice(0, 200)).toEqual(full.trace.slice(0, 200))
  })

  it("rejects non-count data and bad options", () => {
    expect(() => bocpd(series([1, 2.5]))).toThrow(RangeError)
    expect(() => bocpd(series([1, 2]), { hazard: 0 })).toThrow(RangeError)
  })
})
