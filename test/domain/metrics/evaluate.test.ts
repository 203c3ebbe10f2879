import { describe, expect, it } from "vitest"
import { averageOverOrigins, evaluateForecast, skillScore, type WindowMetrics } from "../../../src/domain/metrics/evaluate"
import { summarizePaths, type SamplePaths } from "../../../src/domain/models/model"

const ORIGIN = Date.parse("2025-07-07T00:00:00Z")

/** Two paths: every hour 1 (total 168) and every hour 3 (total 504); predictive mean 2 per hour, total mean 336. */
const twoPaths = (hours = 168): SamplePaths => {
  const values = new Float64Array(2 * hours)
  for (let h = 0; h < hours; h++) {
    values[h] = 1
    values[hours + h] = 3
  }
  return { origin: ORIGIN, hours, paths: 2, values }
}

/** Actual: 4 per hour for the first day, 1 per hour after → week total 96 + 144 = 240. */
const actual = Array.from({ length: 168 }, (_, h) => (h < 24 ? 4 : 1))

describe("evaluateForecast", () => {
  it("gives the protocol quantities of a hand-computed case", () => {
    const m = evaluateForecast(twoPaths(), actual)
    expect(m.mae_h24).toBe(2) // |2 − 4|
    expect(m.mae_h168).toBeCloseTo((24 * 2 + 144 * 1) / 168, 14)
    expect(m.mae_week).toBe(96) // |336 − 240|
    // E|X−y| = (72 + 264)/2 = 168; E|X−X′| = 2·336/4 = 168 → 168 − 84
    expect(m.crps_week).toBeCloseTo(84, 12)
    // type-7 quantiles of {168, 504}: q(.1) = 201.6, q(.9) = 470.4 → inside; q(.25) = 252 > 240 → outside 50%; q(.025) = 176.4 → inside 95%
    expect(m.inside80_week).toBe(1)
    expect(m.inside50_week).toBe(0)
    expect(m.inside95_week).toBe(1)
    expect(m.rmse_h24).toBe(2)
    expect(m.rmse_h168).toBeCloseTo(Math.sqrt((24 * 4 + 144 * 1) / 168), 14)
    // one total below 240, none equal → PIT 1/2 whatever V is
    expect(m.pit_week).toBe(0.5)
    expect(m.actual_week).toBe(240)
    expect(m.mean_week).toBe(336)
    expect(m.mase_h24).toBeNull()
    // log score: discrete Laplace kernel with Silverman h from {168, 504}: sd = 237.59, IQR/1.34 = 168/1.34
    const h = 0.9 * Math.min(Math.sqrt(2 * 168 * 168), 168 / 1.34) * Math.pow(2, -0.2)
    const q = (h * h + 1 - Math.sqrt(2 * h * h + 1)) / (h * h)
    const k = (d: number) => ((1 - q) / (1 + q)) * Math.pow(q, Math.abs(d))
    expect(m.logscore_week).toBeCloseTo(-Math.log((k(240 - 168) + k(240 - 504)) / 2), 10)
  })

  it("MASE uses the in-sample weekly naive MAE of the training window", () => {
    // training: a week of 0s then a week of 2s → every naive error is 2 → scale 2
    const training = Array.from({ length: 336 }, (_, i) => (i < 168 ? 0 : 2))
    const m = evaluateForecast(twoPaths(), actual, { trainingCounts: training })
    expect(m.mase_h24).toBe(1)
    expect(m.mase_h168).toBeCloseTo(8 / 7 / 2, 14)
  })

  it("a summary and the raw paths give the same metrics", () => {
    const a = evaluateForecast(twoPaths(), actual, { pitSeed: 3 })
    const b = evaluateForecast(summarizePaths(twoPaths()), actual, { pitSeed: 3 })
    expect(b).toEqual(a)
  })

  it("scores only the first 168 hours of a longer forecast", () => {
    const long = twoPaths(200)
    const m = evaluateForecast(long, actual)
    expect(m.mean_week).toBe(336)
    expect(m.crps_week).toBeCloseTo(84, 12)
  })

  it("uses a model's own pmf for the log score when given", () => {
    const m = evaluateForecast(twoPaths(), actual, { weekTotalLogPmf: (y) => (y === 240 ? Math.log(0.25) : -Infinity) })
    expect(m.logscore_week).toBeCloseTo(Math.log(4), 14)
  })

  it("randomises the PIT of a tied total reproducibly, and differently across origins", () => {
    // every path totals 240 = the actual: F(240⁻) = 0, F(240) = 1 → PIT = V
    const values = new Float64Array(168 * 3)
    for (let i = 0; i < values.length; i++) values[i] = i % 168 < 24 ? 4 : 1
    const pits = [0, 1, 2, 3].map((w) => evaluateForecast({ origin: ORIGIN + w * 7 * 86_400_000, hours: 168, paths: 3, values }, actual).pit_week)
    expect(new Set(pits).size).toBe(4)
    expect(evaluateForecast({ origin: ORIGIN, hours: 168, paths: 3, values }, actual).pit_week).toBe(pits[0])
    for (const u of pits) expect(u >= 0 && u < 1).toBe(true)
  })

  it("an exact predictive mean replaces the Monte Carlo mean in the point metrics only", () => {
    // exact mean 1 per hour: mae_h24 = |1 − 4| = 3, mae_h168 = (24·3 + 0)/168, week mean 168 → |168 − 240| = 72
    const m = evaluateForecast(twoPaths(), actual, { exactMean: Array.from({ length: 168 }, () => 1) })
    expect(m.mae_h24).toBe(3)
    expect(m.mae_h168).toBeCloseTo((24 * 3) / 168, 14)
    expect(m.mae_week).toBe(72)
    expect(m.mean_week).toBe(168)
    expect(m.crps_week).toBeCloseTo(84, 12) // the distribution is still the samples'
    expect(() => evaluateForecast(twoPaths(), actual, { exactMean: [1, 2] })).toThrow(RangeError)
  })

  it("refuses forecasts or actuals shorter than a week", () => {
    expect(() => evaluateForecast(twoPaths(24), actual)).toThrow(RangeError)
    expect(() => evaluateForecast(twoPaths(), actual.slice(0, 100))).toThrow(RangeError)
  })
})

describe("averageOverOrigins", () => {
  it("averages every key and turns inside flags into coverage", () => {
    const a = evaluateForecast(twoPaths(), actual)
    const b: WindowMetrics = { ...a, mae_h24: 4, crps_week: 16, inside80_week: 0, mase_h24: 2 }
    const avg = averageOverOrigins([a, b])
    expect(avg.origins).toBe(2)
    expect(avg.mae_h24).toBe(3)
    expect(avg.crps_week).toBeCloseTo(50, 12)
    expect(avg.cover80_week).toBe(0.5)
    expect(avg.cover95_week).toBe(1)
    expect(avg.mase_h24).toBe(2) // only b has one
    expect(avg.mae_week).toBe(96)
  })

  it("skill against a baseline", () => {
    expect(skillScore(75, 100)).toBe(0.25)
    expect(skillScore(1, 0)).toBeNull()
  })
})
