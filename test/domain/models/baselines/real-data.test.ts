/**
 * The baselines on the shared data: the seasonal naive predictive distribution must be roughly calibrated
 * for the week total (that is what it was designed for), and its mean must be the naive rule.
 */
import { describe, expect, it } from "vitest"
import { loadSharedTweetTimes as loadTweetTimes } from "../../../support/shared-data"
import { PoissonSeasonal, SeasonalNaive, seasonalNaivePoint } from "../../../../src/domain/models/baselines/index"
import { averageOverOrigins, evaluateForecast } from "../../../../src/domain/metrics/index"
import { bucketHourly, HOUR_MS, mondaysBetween, WEEK_MS } from "../../../../src/domain/time"

const START = Date.parse("2022-11-07T00:00:00Z")
const END = Date.parse("2026-01-01T00:00:00Z")

describe("baselines on the shared data", () => {
  const counts = bucketHourly(loadTweetTimes(), START, (END - START) / HOUR_MS)
  const inputsAt = (origin: number, weeks: number) => {
    const i1 = (origin - START) / HOUR_MS
    return {
      origin,
      hourly: { start: origin - weeks * WEEK_MS, counts: counts.slice(i1 - weeks * 168, i1) },
      eventTimes: new Float64Array()
    }
  }
  // Every 4th Monday from 2023-03 to 2025-12: 36 origins spread over all regimes.
  const origins = mondaysBetween(Date.parse("2023-03-06"), Date.parse("2025-12-22")).filter((_, i) => i % 4 === 0)

  it("seasonal naive: the week-total 80% interval covers most origins, the mean is the naive rule", () => {
    const windows = origins.map((o) => {
      const inputs = inputsAt(o, 8)
      const sp = SeasonalNaive.forecast(SeasonalNaive.fit(inputs, {}), inputs, 168, { paths: 2000, seed: 11 })
      const i1 = (o - START) / HOUR_MS
      return evaluateForecast(sp, counts.subarray(i1, i1 + 168))
    })
    const avg = averageOverOrigins(windows)
    // A calibrated 80% interval covers 80%; with 36 origins ±2 binomial sd is ±13 points.
    expect(avg.cover80_week).toBeGreaterThan(0.6)
    expect(avg.cover80_week).toBeLessThan(0.95)
    // The predictive mean of the week total is the previous week's total (E[G] = 1), up to Monte Carlo error.
    origins.forEach((o, k) => {
      const i1 = (o - START) / HOUR_MS
      let prev = 0
      for (let i = i1 - 168; i < i1; i++) prev += counts[i]!
      expect(Math.abs(windows[k]!.mean_week - prev) / prev).toBeLessThan(0.05)
    })
  })

  it("with its exact mean, seasonal naive's point metrics at the dev origins equal a direct computation from the counts", () => {
    for (const o of mondaysBetween(Date.parse("2025-07-07"), Date.parse("2025-12-22"))) {
      const inputs = inputsAt(o, 8)
      const sp = SeasonalNaive.forecast(SeasonalNaive.fit(inputs, {}), inputs, 168, { paths: 200, seed: 1 })
      const i1 = (o - START) / HOUR_MS
      const m = evaluateForecast(sp, counts.subarray(i1, i1 + 168), { exactMean: seasonalNaivePoint(inputs.hourly.counts, 168) })
      // direct: hour T+h is forecast by hour T+h−168
      let e24 = 0
      let e168 = 0
      let week = 0
      let prev = 0
      for (let h = 0; h < 168; h++) {
        const err = Math.abs(counts[i1 + h]! - counts[i1 + h - 168]!)
        if (h < 24) e24 += err
        e168 += err
        week += counts[i1 + h]!
        prev += counts[i1 + h - 168]!
      }
      expect(m.mae_h24).toBeCloseTo(e24 / 24, 12)
      expect(m.mae_h168).toBeCloseTo(e168 / 168, 12)
      expect(m.mae_week).toBe(Math.abs(week - prev))
    }
  })

  it("poisson_seasonal sees strong overdispersion in real hourly counts (its documented weakness)", () => {
    const inputs = inputsAt(Date.parse("2025-07-07T00:00:00Z"), 8)
    const fitted = PoissonSeasonal.fit(inputs, {})
    expect(fitted.diagnostics.pearsonDispersion).toBeGreaterThan(2)
  })
})
