/** The model on the real dev data at every development origin of ../shared/PROTOCOL.md. */
import { describe, expect, it } from "vitest"
import { negativeBinomialModel } from "../../../../src/domain/models/negative-binomial/index"
import { summarizePaths } from "../../../../src/domain/models/model"
import { bucketHourly, HOUR_MS, mondaysBetween, WEEK_MS } from "../../../../src/domain/time"
import { loadTweetTimes } from "./helpers"

describe("NB2 on the dev data", () => {
  it("fits 8 weeks before each of the 25 development origins without warnings, and forecasts sane week totals", () => {
    const times = loadTweetTimes()
    expect(Number.isNaN(times[0])).toBe(false)
    const origins = mondaysBetween(Date.parse("2025-07-07T00:00:00Z"), Date.parse("2025-12-22T00:00:00Z"))
    expect(origins).toHaveLength(25)
    let absErr = 0
    for (const origin of origins) {
      const hours = 8 * 168 + 168
      const start = origin - hours * HOUR_MS
      const inputs = { origin, hourly: { start, counts: bucketHourly(times, start, hours) }, eventTimes: new Float64Array() }
      const fitted = negativeBinomialModel.fit(inputs, {})
      expect(fitted.diagnostics.converged).toBe(true)
      expect(fitted.diagnostics.warnings).toEqual([])
      expect(fitted.diagnostics.nobs).toBe(1344)
      // Overdispersed, as the issue says: alpha well above 0.
      expect(fitted.params.alpha).toBeGreaterThan(0.5)
      const summary = summarizePaths(negativeBinomialModel.forecast(fitted, inputs, 168, { paths: 2000, seed: 1 }))
      let actual = 0
      for (const t of times) if (t >= origin && t < origin + WEEK_MS) actual++
      // The 5-95% band of the week total is wide but finite and contains the mean.
      expect(summary.totalQuantiles[0]).toBeLessThan(summary.totalMean)
      expect(summary.totalQuantiles[6]).toBeGreaterThan(summary.totalMean)
      absErr += Math.abs(summary.totalMean - actual)
    }
    // Mean absolute error of the week total: ~108 posts, on actual weeks of 244-747 (mean 452); a loose guard
    // against a broken forecast, not a skill target.
    expect(absErr / origins.length).toBeLessThan(200)
  })
})
