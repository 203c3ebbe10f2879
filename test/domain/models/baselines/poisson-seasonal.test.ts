import { describe, expect, it } from "vitest"
import { PoissonSeasonal, poissonSeasonalMean } from "../../../../src/domain/models/baselines/poisson-seasonal"
import { ModelFitError, type ModelInputs } from "../../../../src/domain/models/model"
import { HOUR_MS } from "../../../../src/domain/time"

const MONDAY = Date.parse("2025-07-07T00:00:00Z")

const inputsOf = (origin: number, counts: number[]): ModelInputs => ({
  origin,
  hourly: { start: origin - counts.length * HOUR_MS, counts: Float64Array.from(counts) },
  eventTimes: new Float64Array()
})

describe("poisson_seasonal", () => {
  it("rates are hour-of-week means over the window (two whole weeks)", () => {
    // week A: hour w holds w % 4; week B: hour w holds 2·(w % 3) → λ_w = (w % 4 + 2(w % 3))/2
    const counts = [...Array.from({ length: 168 }, (_, w) => w % 4), ...Array.from({ length: 168 }, (_, w) => 2 * (w % 3))]
    const fitted = PoissonSeasonal.fit(inputsOf(MONDAY, counts), {})
    for (const w of [0, 1, 5, 77, 167]) expect(fitted.params.rates[w]).toBe((w % 4 + 2 * (w % 3)) / 2)
    expect(JSON.parse(JSON.stringify(fitted))).toEqual(fitted)
  })

  it("a window that starts mid-week averages each hour of week over the times it was seen", () => {
    // origin Thursday 2025-07-10 00:00 = hour-of-week 72; 200 hours back starts at hour-of-week (72 − 200) mod 168 = 40.
    const origin = Date.parse("2025-07-10T00:00:00Z")
    const counts = Array.from({ length: 200 }, (_, i) => i)
    const fitted = PoissonSeasonal.fit(inputsOf(origin, counts), {})
    // hour-of-week 40: seen at i = 0 and i = 168 → 84; hour-of-week 71: i = 31 and 199 → 115; hour-of-week 72: only i = 32
    expect(fitted.params.rates[40]).toBe(84)
    expect(fitted.params.rates[71]).toBe(115)
    expect(fitted.params.rates[72]).toBe(32)
  })

  it("forecasts Poisson(λ of the forecast hour's hour-of-week), starting at the origin's hour of week", () => {
    const origin = Date.parse("2025-07-10T05:00:00Z") // Thursday 05:00 → hour-of-week 77
    const counts = Array.from({ length: 168 }, (_, i) => ((i + 77) % 168) % 6) // hour-of-week w holds w % 6
    const inputs = inputsOf(origin, counts)
    const fitted = PoissonSeasonal.fit(inputs, {})
    const paths = 4000
    const sp = PoissonSeasonal.forecast(fitted, inputs, 48, { paths, seed: 3 })
    const exact = poissonSeasonalMean(fitted, origin, 48)
    for (let h = 0; h < 48; h++) {
      const lam = ((77 + h) % 168) % 6
      expect(exact[h]).toBe(lam)
      let m = 0
      let v = 0
      for (let p = 0; p < paths; p++) m += sp.values[p * 48 + h]!
      m /= paths
      for (let p = 0; p < paths; p++) v += (sp.values[p * 48 + h]! - m) ** 2
      v /= paths - 1
      if (lam === 0) expect(m).toBe(0)
      else {
        expect(Math.abs(m - lam)).toBeLessThan(5 * Math.sqrt(lam / paths))
        expect(v / lam).toBeGreaterThan(0.85)
        expect(v / lam).toBeLessThan(1.15)
      }
    }
  })

  it("reports the Pearson dispersion (1 for Poisson-like data, large for bursty data)", () => {
    const flat = PoissonSeasonal.fit(inputsOf(MONDAY, Array.from({ length: 336 }, () => 3)), {})
    expect(flat.diagnostics.pearsonDispersion).toBe(0)
    const bursty = PoissonSeasonal.fit(inputsOf(MONDAY, [...Array.from({ length: 168 }, () => 0), ...Array.from({ length: 168 }, () => 20)]), {})
    // λ = 10 everywhere, every residual² = 100 → χ² = 336·10, df = 168 → 20
    expect(bursty.diagnostics.pearsonDispersion).toBe(20)
  })

  it("is reproducible from its seed", () => {
    const inputs = inputsOf(MONDAY, Array.from({ length: 168 }, (_, i) => i % 3))
    const fitted = PoissonSeasonal.fit(inputs, {})
    expect(PoissonSeasonal.forecast(fitted, inputs, 24, { paths: 20, seed: 1 }).values).toEqual(
      PoissonSeasonal.forecast(fitted, inputs, 24, { paths: 20, seed: 1 }).values
    )
  })

  it("fails with a ModelFitError on less than a week", () => {
    expect(() => PoissonSeasonal.fit(inputsOf(MONDAY, Array.from({ length: 100 }, () => 1)), {})).toThrow(ModelFitError)
  })
})
