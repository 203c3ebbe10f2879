/** nb_local_level: simulation against the model's analytic one-step moments, reproducibility, clear failures. */
import { describe, expect, it } from "vitest"
import { blockFactor } from "../../../../src/domain/models/level/profile"
import { forecastNbLocalLevel, fitNbLocalLevel, levelData, filterLevel, type NbLocalLevelFitted } from "../../../../src/domain/models/nb-local-level/index"
import { ModelFitError, type ModelInputs } from "../../../../src/domain/models/model"
import { Rng } from "../../../../src/domain/random"
import { HOUR_MS } from "../../../../src/domain/time"

/** Hourly Poisson counts around 3 per hour for `days` days ending at a Monday origin. */
const synthetic = (days: number, seed = 1): ModelInputs => {
  const origin = Date.UTC(2025, 9, 6)
  const rng = Rng.seeded(seed)
  const counts = Float64Array.from({ length: days * 24 }, (_, h) => rng.poisson(2 + Math.sin((h / 24) * Math.PI) ** 2 * 2))
  return { origin, hourly: { start: origin - days * 24 * HOUR_MS, counts }, eventTimes: new Float64Array(0) }
}

describe("nb_local_level", () => {
  const inputs = synthetic(200)
  const fitted = fitNbLocalLevel(inputs)

  it("one block ahead, the simulated total has the NB mean and variance of the filtered level", () => {
    const { y, factors, profile } = levelData(inputs)
    const lambda = filterLevel(y, factors, fitted.params).nextLogLevel
    const mu = Math.exp(lambda) * blockFactor(profile, inputs.origin)
    const variance = mu + (mu * mu) / fitted.params.size
    const n = 20_000
    const paths = forecastNbLocalLevel(fitted, inputs, 24, { paths: n, seed: 5 })
    const totals = Array.from({ length: n }, (_, p) => paths.values.subarray(p * 24, (p + 1) * 24).reduce((a, b) => a + b, 0))
    const mean = totals.reduce((a, b) => a + b, 0) / n
    const v = totals.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
    expect(Math.abs(mean - mu)).toBeLessThan(4 * Math.sqrt(variance / n))
    // the sample variance's standard error for an NB is about var * sqrt(2/n) (with excess kurtosis: 3x margin)
    expect(Math.abs(v - variance) / variance).toBeLessThan(3 * 4 * Math.sqrt(2 / n))
  })

  it("multi-day totals spread more than independent days would: the level's own random walk", () => {
    const n = 4000
    const week = forecastNbLocalLevel(fitted, inputs, 168, { paths: n, seed: 2 })
    const totals = Array.from({ length: n }, (_, p) => week.values.subarray(p * 168, (p + 1) * 168).reduce((a, b) => a + b, 0))
    const mean = totals.reduce((a, b) => a + b, 0) / n
    const v = totals.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
    // independent days with the one-step NB variance would give 7 (mu + mu^2/k); the walk adds covariance
    const mu = mean / 7
    expect(v).toBeGreaterThan(7 * (mu + (mu * mu) / fitted.params.size))
  })

  it("reproduces bit for bit from the same seed, and differs with another", () => {
    const a = forecastNbLocalLevel(fitted, inputs, 30, { paths: 50, seed: 9 })
    const b = forecastNbLocalLevel(JSON.parse(JSON.stringify(fitted)) as NbLocalLevelFitted, inputs, 30, { paths: 50, seed: 9 })
    const c = forecastNbLocalLevel(fitted, inputs, 30, { paths: 50, seed: 10 })
    expect(Array.from(b.values)).toEqual(Array.from(a.values))
    expect(Array.from(c.values)).not.toEqual(Array.from(a.values))
    // a partial last block keeps only its first hours: 30 h = one block and 6 hours
    expect(a.hours).toBe(30)
    for (const v of a.values) expect(Number.isInteger(v) && v >= 0).toBe(true)
  })

  it("says why it cannot fit with too little history", () => {
    expect(() => fitNbLocalLevel(synthetic(10))).toThrow(ModelFitError)
    expect(() => fitNbLocalLevel(synthetic(10))).toThrow(/needs at least 28 days of history/)
  })
})
