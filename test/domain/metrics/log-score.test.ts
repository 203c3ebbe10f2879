import { describe, expect, it } from "vitest"
import { discreteLaplaceQ, logScoreFromLogPmf, logScoreFromSamples, silvermanBandwidth, smoothedSamplePmf } from "../../../src/domain/metrics/log-score"

const kernel = (q: number, k: number): number => ((1 - q) / (1 + q)) * Math.pow(q, Math.abs(k))

describe("log score from a smoothed sample", () => {
  it("a degenerate sample uses the 1-count bandwidth floor: q = 2 − √3, p(x) = 1/√3", () => {
    // sd = 0 → h = 1 → q solves 2q/(1−q)² = 1 → q = 2 − √3; (1−q)/(1+q) = (√3−1)/(3−√3) = 1/√3
    const pmf = smoothedSamplePmf([5, 5, 5])
    expect(pmf.bandwidth).toBe(1)
    expect(pmf.q).toBeCloseTo(2 - Math.sqrt(3), 14)
    expect(logScoreFromSamples([5, 5, 5], 5)).toBeCloseTo(Math.log(Math.sqrt(3)), 12)
    expect(logScoreFromSamples([5, 5, 5], 7)).toBeCloseTo(Math.log(Math.sqrt(3)) - 2 * Math.log(2 - Math.sqrt(3)), 12)
  })

  it("the kernel's standard deviation equals the requested bandwidth", () => {
    for (const h of [0.5, 1, 3, 25]) {
      const q = discreteLaplaceQ(h)
      let mass = 0
      let second = 0
      for (let k = -5000; k <= 5000; k++) {
        mass += kernel(q, k)
        second += k * k * kernel(q, k)
      }
      expect(mass).toBeCloseTo(1, 10)
      expect(Math.sqrt(second)).toBeCloseTo(h, 8)
    }
  })

  it("Silverman's bandwidth, hand-computed for {0, 10, 20, 30, 40}", () => {
    // sd = sqrt(1000/4) = 15.811; IQR (type 7) = 30 − 10 = 20 → 20/1.34 = 14.925 (smaller) → h = 0.9·14.925·5^−0.2
    expect(silvermanBandwidth([0, 10, 20, 30, 40])).toBeCloseTo(0.9 * (20 / 1.34) * Math.pow(5, -0.2), 12)
  })

  it("matches the direct (linear-space) mixture sum, and the pmf sums to 1", () => {
    const xs = [100, 103, 97, 110, 120, 99, 101, 104, 108, 95]
    const pmf = smoothedSamplePmf(xs)
    for (const y of [80, 100, 105, 130]) {
      const direct = xs.reduce((s, x) => s + kernel(pmf.q, y - x), 0) / xs.length
      expect(logScoreFromSamples(xs, y)).toBeCloseTo(-Math.log(direct), 10)
    }
    let mass = 0
    for (let y = -2000; y <= 2200; y++) mass += Math.exp(pmf.logPmf(y))
    expect(mass).toBeCloseTo(1, 9)
  })

  it("stays finite far outside the sample range and grows linearly with the distance", () => {
    const xs = [100, 101, 102, 103, 104]
    const pmf = smoothedSamplePmf(xs)
    const a = logScoreFromSamples(xs, 10_000)
    const b = logScoreFromSamples(xs, 20_000)
    expect(Number.isFinite(b)).toBe(true)
    expect(b - a).toBeCloseTo(-10_000 * Math.log(pmf.q), 6)
  })

  it("rounds non-integer samples and rejects non-integer outcomes", () => {
    expect(logScoreFromSamples([4.6, 5.4, 5.0], 5)).toBeCloseTo(logScoreFromSamples([5, 5, 5], 5), 12)
    expect(() => smoothedSamplePmf([1, 2]).logPmf(1.5)).toThrow(RangeError)
  })

  it("scores a model pmf directly", () => {
    // Poisson(2) at 3: −log(e^−2 2³/3!)
    const logPoisson = (k: number) => -2 + k * Math.log(2) - Math.log([1, 1, 2, 6, 24][k]!)
    expect(logScoreFromLogPmf(logPoisson, 3)).toBeCloseTo(2 - 3 * Math.log(2) + Math.log(6), 14)
  })
})
