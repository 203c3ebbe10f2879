import { describe, expect, it } from "vitest"
import {
  SeasonalNaive,
  seasonalNaivePoint,
  weekTotalsEndingAtOrigin,
  weeklyDispersionMoment
} from "../../../../src/domain/models/baselines/seasonal-naive"
import { ModelFitError, type ModelInputs } from "../../../../src/domain/models/model"
import { HOUR_MS, WEEK_MS } from "../../../../src/domain/time"

const ORIGIN = Date.parse("2025-07-07T00:00:00Z")

const inputsOf = (counts: number[]): ModelInputs => ({
  origin: ORIGIN,
  hourly: { start: ORIGIN - counts.length * HOUR_MS, counts: Float64Array.from(counts) },
  eventTimes: new Float64Array()
})

/** Two weeks; the last week has a recognisable pattern: hour h of the week holds h % 7 (so some hours are 0). */
const twoWeeks = (): number[] => [...Array.from({ length: 168 }, (_, h) => h % 5), ...Array.from({ length: 168 }, (_, h) => h % 7)]

describe("seasonal naive: point rule and moments", () => {
  it("the point forecast repeats the last observed week", () => {
    const counts = twoWeeks()
    const p = seasonalNaivePoint(counts, 400)
    for (const h of [0, 1, 100, 167, 168, 200, 335, 336, 399]) expect(p[h]).toBe((h % 168) % 7)
  })

  it("week totals are blocks ending at the origin, most recent first; a partial oldest block is ignored", () => {
    const counts = [5, 5, ...Array.from({ length: 168 }, () => 1), ...Array.from({ length: 168 }, () => 2)]
    expect(weekTotalsEndingAtOrigin(counts)).toEqual([336, 168])
  })

  it("method-of-moments dispersion, hand-computed", () => {
    // pairs (120 after 100): 20² − 100 = 300; (100 after 80): 20² − 80 = 320; Σ prev² = 100² + 80² = 16400
    expect(weeklyDispersionMoment([120, 100, 80])).toBeCloseTo(620 / 16400, 15)
    expect(weeklyDispersionMoment([0, 0])).toBe(0)
  })

  it("fit records φ (floored at 0), the weeks and the MASE scale", () => {
    const fitted = SeasonalNaive.fit(inputsOf(twoWeeks()), {})
    const totals = [twoWeeks().slice(168).reduce((a, b) => a + b, 0), twoWeeks().slice(0, 168).reduce((a, b) => a + b, 0)]
    expect(fitted.diagnostics.weekTotals).toEqual(totals)
    const raw = ((totals[0]! - totals[1]!) ** 2 - totals[1]!) / totals[1]! ** 2
    expect(fitted.diagnostics.dispersionRaw).toBeCloseTo(raw, 15)
    expect(fitted.params.dispersion).toBe(Math.max(0, raw))
    let s = 0
    for (let t = 168; t < 336; t++) s += Math.abs(twoWeeks()[t]! - twoWeeks()[t - 168]!)
    expect(fitted.diagnostics.inSampleMae).toBeCloseTo(s / 168, 14)
    expect(JSON.parse(JSON.stringify(fitted))).toEqual(fitted)
  })

  it("fails with a ModelFitError on less than two weeks", () => {
    expect(() => SeasonalNaive.fit(inputsOf(Array.from({ length: 300 }, () => 1)), {})).toThrow(ModelFitError)
  })
})

describe("seasonal naive: predictive distribution", () => {
  it("with φ = 0 each hour is Poisson around the naive value; an hour that was 0 stays 0", () => {
    const counts = twoWeeks()
    const inputs = inputsOf(counts)
    const sp = SeasonalNaive.forecast({ ...SeasonalNaive.fit(inputs, {}), params: { dispersion: 0 } }, inputs, 168, { paths: 4000, seed: 1 })
    expect(sp.origin).toBe(ORIGIN)
    for (const h of [0, 6, 7, 13, 90]) {
      const xs = Array.from({ length: 4000 }, (_, p) => sp.values[p * 168 + h]!)
      const m = xs.reduce((a, b) => a + b, 0) / xs.length
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)
      const target = h % 7
      if (target === 0) expect(xs.every((x) => x === 0)).toBe(true)
      else {
        // Poisson: mean = variance = target; 5 standard errors of the mean
        expect(Math.abs(m - target)).toBeLessThan(5 * Math.sqrt(target / 4000))
        expect(v / target).toBeGreaterThan(0.85)
        expect(v / target).toBeLessThan(1.15)
      }
    }
  })

  it("with φ > 0 the week total has mean W and variance W + φW²; the second week compounds", () => {
    const counts = Array.from({ length: 336 }, () => 2) // W = 336 per week
    const inputs = inputsOf(counts)
    const phi = 0.04
    const fitted = { ...SeasonalNaive.fit(inputs, {}), params: { dispersion: phi } }
    const paths = 6000
    const sp = SeasonalNaive.forecast(fitted, inputs, 336, { paths, seed: 9 })
    const w1: number[] = []
    const w2: number[] = []
    for (let p = 0; p < paths; p++) {
      let a = 0
      let b = 0
      for (let h = 0; h < 168; h++) a += sp.values[p * 336 + h]!
      for (let h = 168; h < 336; h++) b += sp.values[p * 336 + h]!
      w1.push(a)
      w2.push(b)
    }
    const mv = (xs: number[]) => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length
      return [m, xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)] as const
    }
    const [m1, v1] = mv(w1)
    const [m2, v2] = mv(w2)
    const W = 336
    expect(Math.abs(m1 - W)).toBeLessThan(5 * Math.sqrt((W + phi * W * W) / paths))
    expect(v1 / (W + phi * W * W)).toBeGreaterThan(0.9)
    expect(v1 / (W + phi * W * W)).toBeLessThan(1.1)
    // second week: rate W·G0·G1, Var(G0G1) = (1+φ)² − 1
    const varG2 = (1 + phi) ** 2 - 1
    expect(Math.abs(m2 - W)).toBeLessThan(5 * Math.sqrt((W + varG2 * W * W) / paths))
    expect(v2 / (W + varG2 * W * W)).toBeGreaterThan(0.88)
    expect(v2 / (W + varG2 * W * W)).toBeLessThan(1.12)
  })

  it("is reproducible from its seed and changes with it", () => {
    const inputs = inputsOf(twoWeeks())
    const fitted = { ...SeasonalNaive.fit(inputs, {}), params: { dispersion: 0.05 } }
    const a = SeasonalNaive.forecast(fitted, inputs, 168, { paths: 50, seed: 5 })
    const b = SeasonalNaive.forecast(fitted, inputs, 168, { paths: 50, seed: 5 })
    const c = SeasonalNaive.forecast(fitted, inputs, 168, { paths: 50, seed: 6 })
    expect(Array.from(a.values)).toEqual(Array.from(b.values))
    expect(Array.from(a.values)).not.toEqual(Array.from(c.values))
  })

  it("rejects inputs that do not end at the origin", () => {
    const bad = { ...inputsOf(twoWeeks()), origin: ORIGIN + WEEK_MS }
    expect(() => SeasonalNaive.fit(bad, {})).toThrow(RangeError)
  })
})
