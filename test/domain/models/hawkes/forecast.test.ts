import { describe, expect, it } from "vitest"
import {
  expectedHourlyCounts,
  excitationAt,
  fitHawkesData,
  hawkesExpectedCounts,
  hawkesModel,
  hourlyBaseline,
  simulateEventTimes,
  simulateHourlyCounts,
  type HawkesFitted
} from "../../../../src/domain/models/hawkes/index"
import { summarizePaths, type ModelInputs } from "../../../../src/domain/models/model"
import { Rng } from "../../../../src/domain/random"
import { HOUR_MS, bucketHourly } from "../../../../src/domain/time"
import { loadReal, loadSimulated, realData, realEventMs, SIMULATED_START } from "./reference"

const simulated = loadSimulated()
const periodic = loadReal("periodic")
const truth = { ...simulated.true_params, gamma: 0 }

const meanSd = (xs: ArrayLike<number>) => {
  let s = 0
  let s2 = 0
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]!
    s2 += xs[i]! * xs[i]!
  }
  const m = s / xs.length
  return { mean: m, sd: Math.sqrt((s2 - xs.length * m * m) / (xs.length - 1)) }
}
const totals = (values: Float64Array, paths: number, hours: number): Float64Array =>
  Float64Array.from({ length: paths }, (_, p) => values.subarray(p * hours, (p + 1) * hours).reduce((a, b) => a + b, 0))

const periodicInputs = (): ModelInputs => {
  const start = Date.parse(periodic.window_start)
  const origin = Date.parse(periodic.window_end)
  const eventTimes = realEventMs(periodic)
  return { origin, hourly: { start, counts: bucketHourly(eventTimes, start, (origin - start) / HOUR_MS) }, eventTimes }
}

describe("Hawkes expected counts (intensity ODE)", () => {
  it("matches the reference's exact one-week mean from an empty history (434.29)", () => {
    const mu = hourlyBaseline("hour_of_day", truth, SIMULATED_START, 168)
    const total = expectedHourlyCounts(mu, truth.alpha, truth.beta, 0).reduce((a, b) => a + b, 0)
    expect(total).toBeCloseTo(434.29, 2)
  })

  it("history excitation alone decays to α S/(1−α) (1 − e^{−β(1−α)H}) events (reference: 70.91 for S = 20)", () => {
    const H = 168
    const total = expectedHourlyCounts(new Float64Array(H), truth.alpha, truth.beta, 20).reduce((a, b) => a + b, 0)
    const closed = ((truth.alpha * 20) / (1 - truth.alpha)) * (1 - Math.exp(-truth.beta * (1 - truth.alpha) * H))
    expect(Math.abs(total - closed)).toBeLessThan(1e-9)
    expect(total).toBeCloseTo(70.91, 2)
  })

  it("converges to the stationary rate μ/(1−α) under a constant baseline", () => {
    const e = expectedHourlyCounts(new Float64Array(200).fill(0.5), 0.6, 3, 0)
    expect(e[199]).toBeCloseTo(0.5 / 0.4, 10)
    expect(e[0]).toBeLessThan(e[199]!)
  })
})

describe("Hawkes simulation (Ogata thinning)", () => {
  it("empty history: mean and spread of the one-week total agree with the exact mean and the reference's cluster simulation", () => {
    const mu = hourlyBaseline("hour_of_day", truth, SIMULATED_START, 168)
    const P = 4000
    const values = simulateHourlyCounts(mu, truth.alpha, truth.beta, 0, P, Rng.seeded(5))
    const { mean, sd } = meanSd(totals(values, P, 168))
    const exact = expectedHourlyCounts(mu, truth.alpha, truth.beta, 0).reduce((a, b) => a + b, 0)
    expect(Math.abs(mean - exact)).toBeLessThan((4 * sd) / Math.sqrt(P))
    // Reference (cluster representation, 20000 paths): sd 95.9.
    expect(Math.abs(sd - 95.9) / 95.9).toBeLessThan(0.08)
  })

  it("history-only excitation: simulated mean agrees with the ODE (S = 20, μ = 0)", () => {
    const P = 4000
    const mu = new Float64Array(24)
    const values = simulateHourlyCounts(mu, truth.alpha, truth.beta, 20, P, Rng.seeded(6))
    const { mean, sd } = meanSd(totals(values, P, 24))
    const exact = expectedHourlyCounts(mu, truth.alpha, truth.beta, 20).reduce((a, b) => a + b, 0)
    expect(Math.abs(mean - exact)).toBeLessThan((4 * sd) / Math.sqrt(P))
  })

  it("event-time paths and hourly-count paths consume the PRNG identically", () => {
    const mu = hourlyBaseline("hour_of_day", truth, SIMULATED_START, 72)
    const times = simulateEventTimes(mu, truth.alpha, truth.beta, 3, Rng.seeded(9))
    const counts = simulateHourlyCounts(mu, truth.alpha, truth.beta, 3, 1, Rng.seeded(9))
    expect(Array.from(bucketHourly(Float64Array.from(times, (t) => t * HOUR_MS), 0, 72))).toEqual(Array.from(counts))
    expect(times.length).toBeGreaterThan(20)
  })

  it("excitationAt sums the kernel over past events only", () => {
    const origin = SIMULATED_START
    const ev = Float64Array.from([origin - 2 * HOUR_MS, origin - HOUR_MS / 2, origin, origin + HOUR_MS])
    expect(excitationAt(ev, origin, 2)).toBeCloseTo(Math.exp(-4) + Math.exp(-1), 14)
    expect(excitationAt(new Float64Array(), origin, 2)).toBe(0)
  })
})

describe("Hawkes forecast through the CountModel contract", () => {
  const inputs = periodicInputs()
  const fitted: HawkesFitted = hawkesModel.fit(inputs, { baseline: "hour_of_day" })

  it("2000 seeded paths: shape, integer counts, determinism, and the mean equals the exact expected counts", () => {
    const sp = hawkesModel.forecast(fitted, inputs, 168, { paths: 2000, seed: 123 })
    expect(sp.origin).toBe(inputs.origin)
    expect(sp.hours).toBe(168)
    expect(sp.paths).toBe(2000)
    expect(sp.values.length).toBe(2000 * 168)
    expect(sp.values.every((v) => v >= 0 && Number.isInteger(v))).toBe(true)
    const again = hawkesModel.forecast(fitted, inputs, 168, { paths: 2000, seed: 123 })
    const differences = (a: Float64Array, b: Float64Array) => a.reduce((n, v, i) => n + (v === b[i] ? 0 : 1), 0)
    expect(differences(again.values, sp.values)).toBe(0)
    const other = hawkesModel.forecast(fitted, inputs, 168, { paths: 2000, seed: 124 })
    expect(differences(other.values, sp.values)).toBeGreaterThan(1000)

    const exact = hawkesExpectedCounts(fitted, inputs, 168)
    const t = totals(sp.values, 2000, 168)
    const { mean, sd } = meanSd(t)
    const exactTotal = exact.reduce((a, b) => a + b, 0)
    expect(Math.abs(mean - exactTotal)).toBeLessThan((4 * sd) / Math.sqrt(2000))
    const summary = summarizePaths(sp)
    expect(summary.totalMean).toBeCloseTo(mean, 9)
    // First hour: the history's excitation matters most there.
    const first = meanSd(Float64Array.from({ length: 2000 }, (_, p) => sp.values[p * 168]!))
    expect(Math.abs(first.mean - exact[0]!)).toBeLessThan((4 * first.sd) / Math.sqrt(2000))
  })

  it("conditions on the history: a burst just before the origin raises the near-term forecast only", () => {
    const burst = Float64Array.from({ length: 15 }, (_, i) => inputs.origin - 30 * 60_000 + i * 60_000)
    const eventTimes = Float64Array.from([...inputs.eventTimes, ...burst]).sort()
    const hot: ModelInputs = { ...inputs, eventTimes }
    const calm = hawkesExpectedCounts(fitted, inputs, 48)
    const excited = hawkesExpectedCounts(fitted, hot, 48)
    const s = excitationAt(burst, inputs.origin, fitted.params.beta)
    expect(excited[0]! - calm[0]!).toBeGreaterThan(0.5 * s * fitted.params.alpha)
    expect(Math.abs(excited[47]! - calm[47]!)).toBeLessThan(1e-3)
    const sp = hawkesModel.forecast(fitted, hot, 48, { paths: 2000, seed: 1 })
    const first = meanSd(Float64Array.from({ length: 2000 }, (_, p) => sp.values[p * 48]!))
    expect(Math.abs(first.mean - excited[0]!)).toBeLessThan((4 * first.sd) / Math.sqrt(2000))
  })

  it("exogenous term: future hours with x > 0 scale the baseline by exp(γx)", () => {
    const data = realData(periodic, "hour_of_day")
    const x = Float64Array.from({ length: data.T + 48 }, (_, k) => (k % 50 < 5 ? 1 : 0))
    const fittedBase = fitHawkesData(data, { baseline: "hour_of_day" })
    const withGamma: HawkesFitted = { ...fittedBase, params: { ...fittedBase.params, exogenous: true, gamma: 0.7 } }
    const exoInputs: ModelInputs = { ...inputs, exogenous: x }
    const on = hawkesExpectedCounts(withGamma, exoInputs, 48)
    const off = hawkesExpectedCounts(fittedBase, exoInputs, 48)
    const muOn = hourlyBaseline("hour_of_day", { ...withGamma.params, dayOfWeek: undefined }, inputs.origin, 48, x, data.T)
    const muOff = hourlyBaseline("hour_of_day", { ...fittedBase.params, dayOfWeek: undefined }, inputs.origin, 48)
    for (let k = 0; k < 48; k++) {
      const xk = x[data.T + k]!
      expect(muOn[k]! / muOff[k]!).toBeCloseTo(Math.exp(0.7 * xk), 12)
    }
    expect(on.reduce((a, b) => a + b, 0)).toBeGreaterThan(off.reduce((a, b) => a + b, 0))
  })

  it("rejects bad horizons, path counts and non-finite simulation inputs", () => {
    expect(() => hawkesModel.forecast(fitted, inputs, 0, { paths: 10, seed: 1 })).toThrow(RangeError)
    expect(() => hawkesModel.forecast(fitted, inputs, 24, { paths: 0, seed: 1 })).toThrow(RangeError)
    // Non-finite inputs would never reach an hour boundary: rejected up front instead of looping.
    expect(() => simulateHourlyCounts(Float64Array.from([Number.NaN]), 0.5, 2, 0, 1, Rng.seeded(1))).toThrow(/baseline/)
    expect(() => simulateEventTimes(new Float64Array(2), 0.5, 2, Number.POSITIVE_INFINITY, Rng.seeded(1))).toThrow(/excitation/)
  })
})
