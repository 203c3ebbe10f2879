import { describe, expect, it } from "vitest"
import {
  fitHawkesData,
  hawkesDataFromHours,
  hawkesModel,
  hourlyBaseline,
  ksExponential,
  rescaledIntervals,
  simulateEventTimes,
  type HawkesData,
  type HawkesFitted
} from "../../../../src/domain/models/hawkes/index"
import { ModelFitError, type ModelInputs } from "../../../../src/domain/models/model"
import { Rng } from "../../../../src/domain/random"
import { HOUR_MS, bucketHourly } from "../../../../src/domain/time"
import { loadReal, loadSimulated, realData, realEventMs, relErr, simulatedData, SIMULATED_START, type RealReference } from "./reference"

const constant = loadReal("constant")
const periodic = loadReal("periodic")
const simulated = loadSimulated()

// Tolerances of the issue: MLE parameters to 1e-4 relative, maximum log-likelihood to 1e-7 relative.
const PARAM_TOL = 1e-4
const LOGLIK_TOL = 1e-7

const inputsOf = (ref: RealReference): ModelInputs => {
  const start = Date.parse(ref.window_start)
  const origin = Date.parse(ref.window_end)
  const eventTimes = realEventMs(ref)
  return { origin, hourly: { start, counts: bucketHourly(eventTimes, start, (origin - start) / HOUR_MS) }, eventTimes }
}

/** Compensator Λ(T) from its definition (hour-by-hour baseline integral plus kernel masses). */
const compensatorAtT = (data: HawkesData, fitted: HawkesFitted): number => {
  const mu = hourlyBaseline(data.baseline, { ...fitted.params, dayOfWeek: fitted.params.dayOfWeek ?? undefined }, data.windowStart, Math.ceil(data.T))
  let c = 0
  for (let k = 0; k < mu.length; k++) c += mu[k]! * Math.min(1, data.T - k)
  for (const t of data.times) c += fitted.params.alpha * (1 - Math.exp(-fitted.params.beta * (data.T - t)))
  return c
}

describe("Hawkes MLE vs the independent reference", () => {
  for (const [name, ref, baseline] of [
    ["constant", constant, "constant"],
    ["periodic", periodic, "hour_of_day"]
  ] as const) {
    it(`${name}: parameters, maximum log-likelihood, standard errors and diagnostics`, () => {
      const fitted = hawkesModel.fit(inputsOf(ref), { baseline })
      const m = ref.mle
      expect(fitted.kind).toBe("hawkes")
      expect(relErr(fitted.diagnostics.logLik, m.max_loglik)).toBeLessThan(LOGLIK_TOL)
      expect(relErr(fitted.params.alpha, m.alpha)).toBeLessThan(PARAM_TOL)
      expect(relErr(fitted.params.beta, m.beta)).toBeLessThan(PARAM_TOL)
      fitted.params.mu.forEach((v, j) => expect(relErr(v, m.mu[j]!)).toBeLessThan(PARAM_TOL))
      const se = fitted.diagnostics.standardErrors!
      expect(se).not.toBeNull()
      expect(relErr(se.alpha, m.asymptotic_se.alpha)).toBeLessThan(1e-4)
      expect(relErr(se.beta, m.asymptotic_se.beta)).toBeLessThan(1e-4)
      se.mu.forEach((v, j) => expect(relErr(v, m.asymptotic_se.mu[j]!)).toBeLessThan(1e-4))

      const d = fitted.diagnostics
      expect(d.converged).toBe(true)
      expect(d.gradNorm).toBeLessThan(1e-6)
      expect(d.starts.map((s) => s.beta0)).toEqual([0.3, 3, 30])
      // Every start reaches the same optimum.
      for (const s of d.starts) {
        expect(Math.abs(s.logLik - m.max_loglik)).toBeLessThan(1e-4)
        expect(relErr(s.beta, m.beta)).toBeLessThan(1e-3)
        expect(s.iterations).toBeGreaterThan(0)
      }
      expect(d.branchingRatio).toBe(fitted.params.alpha)
      expect(d.halfLifeHours).toBeCloseTo(Math.LN2 / m.beta, 8)
      expect(d.nEvents).toBe(ref.n_events)
      expect(d.windowHours).toBe(ref.T_hours)
      // The fitted record is plain JSON.
      expect(JSON.parse(JSON.stringify(fitted))).toEqual(fitted)
    })
  }

  it("at the MLE the compensator over [0,T] equals the number of events (λ is linear in μ and α)", () => {
    const data = realData(periodic, "hour_of_day")
    const fitted = fitHawkesData(data, { baseline: "hour_of_day" })
    expect(Math.abs(compensatorAtT(data, fitted) - data.times.length)).toBeLessThan(1e-6)
  })

  it("simulated set: the MLE matches the reference and the true parameters lie inside the 95% intervals", () => {
    const fitted = fitHawkesData(simulatedData(simulated), { baseline: "hour_of_day" })
    const m = simulated.mle
    expect(relErr(fitted.diagnostics.logLik, m.max_loglik)).toBeLessThan(LOGLIK_TOL)
    expect(relErr(fitted.params.alpha, m.alpha)).toBeLessThan(PARAM_TOL)
    expect(relErr(fitted.params.beta, m.beta)).toBeLessThan(PARAM_TOL)
    const se = fitted.diagnostics.standardErrors!
    const truth = simulated.true_params
    const inside = (est: number, s: number, t: number) => Math.abs(est - t) <= 1.959964 * s
    expect(inside(fitted.params.alpha, se.alpha, truth.alpha)).toBe(true)
    expect(inside(fitted.params.beta, se.beta, truth.beta)).toBe(true)
    truth.mu.forEach((t, j) => expect(inside(fitted.params.mu[j]!, se.mu[j]!, t)).toBe(true))
    // Time-rescaling under the (correct) fitted model: residuals look Exp(1).
    expect(fitted.diagnostics.timeRescaling.ksPValue).toBeGreaterThan(0.05)
  })
})

describe("Hawkes goodness of fit (time rescaling)", () => {
  it("the reported KS statistic equals one computed from compensator differences by definition", () => {
    const data = realData(periodic, "hour_of_day")
    const fitted = fitHawkesData(data, { baseline: "hour_of_day" })
    const { alpha, beta } = fitted.params
    const mu = hourlyBaseline("hour_of_day", { ...fitted.params, dayOfWeek: undefined }, data.windowStart, Math.ceil(data.T))
    // Λ(t) by direct sums (O(N²) on a prefix is enough to check the increments).
    const Lambda = (t: number, upto: number): number => {
      let c = 0
      for (let k = 0; k < Math.floor(t); k++) c += mu[k]!
      c += mu[Math.floor(t)]! * (t - Math.floor(t))
      for (let j = 0; j < upto; j++) c += alpha * (1 - Math.exp(-beta * (t - data.times[j]!)))
      return c
    }
    const tau = rescaledIntervals(data, mu, alpha, beta)
    for (let i = 0; i < 300; i++) {
      const prevT = i === 0 ? 0 : data.times[i - 1]!
      const direct = Lambda(data.times[i]!, i) - Lambda(prevT, i)
      expect(Math.abs(tau[i]! - direct)).toBeLessThan(1e-9)
    }
    expect(fitted.diagnostics.timeRescaling.ksStatistic).toBe(ksExponential(tau).statistic)
    // Real tweets are burstier at several time scales than one exponential kernel: the KS test says so.
    expect(fitted.diagnostics.timeRescaling.ksPValue).toBeLessThan(0.01)
  })

  it("KS: brute-force statistic on a small sample, and calibrated p-values", () => {
    const tau = Float64Array.from([0.1, 2.0, 0.5, 0.05, 1.2])
    const u = Array.from(tau, (x) => 1 - Math.exp(-x)).sort((a, b) => a - b)
    let D = 0
    for (let x = 0; x <= 1; x += 1e-5) {
      const F = u.filter((v) => v <= x).length / u.length
      D = Math.max(D, Math.abs(F - x))
    }
    expect(Math.abs(ksExponential(tau).statistic - D)).toBeLessThan(1e-4)
    const rng = Rng.seeded(11)
    const exp = Float64Array.from({ length: 2000 }, () => rng.exponential())
    expect(ksExponential(exp).pValue).toBeGreaterThan(0.01)
    expect(ksExponential(exp.map((x) => 1.5 * x)).pValue).toBeLessThan(1e-6)
  })
})

describe("Hawkes baselines beyond the reference", () => {
  it("day-of-week factors: nested in the hour-of-day model, Monday = 1, a proper optimum", () => {
    const hod = fitHawkesData(realData(periodic, "hour_of_day"), { baseline: "hour_of_day" })
    const dow = fitHawkesData(realData(periodic, "hour_of_day_day_of_week"), { baseline: "hour_of_day_day_of_week" })
    expect(dow.diagnostics.logLik).toBeGreaterThanOrEqual(hod.diagnostics.logLik - 1e-6)
    expect(dow.params.dayOfWeek).toHaveLength(7)
    expect(dow.params.dayOfWeek![0]).toBe(1)
    expect(dow.diagnostics.nParams).toBe(32)
    expect(dow.diagnostics.gradNorm).toBeLessThan(1e-6)
    expect(dow.diagnostics.standardErrors!.dayOfWeek).toHaveLength(7)
    expect(dow.diagnostics.standardErrors!.dayOfWeek!.slice(1).every((s) => s > 0)).toBe(true)
  })

  it("exogenous multiplier exp(γx): recovered from data simulated with a known γ", () => {
    const weeks = 8
    const H = weeks * 168
    const x = Float64Array.from({ length: H }, (_, k) => (k % 72 >= 30 && k % 72 < 40 ? 1 : 0))
    const truth = { mu: simulated.true_params.mu, alpha: 0.6, beta: 8, gamma: 0.9 }
    const mu = hourlyBaseline("hour_of_day", truth, SIMULATED_START, H, x)
    const times = simulateEventTimes(mu, truth.alpha, truth.beta, 0, Rng.seeded(2024))
    const data = hawkesDataFromHours("hour_of_day", SIMULATED_START, H, times, x)
    const fitted = fitHawkesData(data, { baseline: "hour_of_day", exogenous: true })
    const se = fitted.diagnostics.standardErrors!
    expect(fitted.params.exogenous).toBe(true)
    expect(se.gamma).not.toBeNull()
    expect(Math.abs(fitted.params.gamma - truth.gamma)).toBeLessThan(3 * se.gamma!)
    expect(Math.abs(fitted.params.alpha - truth.alpha)).toBeLessThan(3 * se.alpha)
    expect(Math.abs(fitted.params.beta - truth.beta)).toBeLessThan(3 * se.beta)
    // Without the term the fit ignores x and γ is reported as 0.
    const off = fitHawkesData(hawkesDataFromHours("hour_of_day", SIMULATED_START, H, times), { baseline: "hour_of_day" })
    expect(off.params.gamma).toBe(0)
    expect(fitted.diagnostics.logLik).toBeGreaterThan(off.diagnostics.logLik)
  })
})

describe("Hawkes fit through the CountModel contract", () => {
  it("windowHours fits only the last hours before the origin (earlier events do not excite the window)", () => {
    const base = inputsOf(periodic)
    const extraStart = base.hourly.start - 168 * HOUR_MS
    // A burst in the week before the window: it must not change the fit on the window.
    const early = Float64Array.from({ length: 40 }, (_, i) => base.hourly.start - 2 * HOUR_MS + i * 60_000)
    const eventTimes = Float64Array.from([...early, ...base.eventTimes])
    const inputs: ModelInputs = {
      origin: base.origin,
      hourly: { start: extraStart, counts: bucketHourly(eventTimes, extraStart, (base.origin - extraStart) / HOUR_MS) },
      eventTimes
    }
    const fitted = hawkesModel.fit(inputs, { baseline: "hour_of_day", windowHours: periodic.T_hours })
    expect(fitted.params.windowStart).toBe(base.hourly.start)
    expect(relErr(fitted.diagnostics.logLik, periodic.mle.max_loglik)).toBeLessThan(LOGLIK_TOL)
    const whole = hawkesModel.fit(inputs, { baseline: "hour_of_day" })
    expect(whole.params.windowStart).toBe(extraStart)
    expect(whole.diagnostics.nEvents).toBe(periodic.n_events + 40)
  })

  it("fails with ModelFitError naming the reason, never NaN", () => {
    const start = SIMULATED_START
    const emptyInputs: ModelInputs = { origin: start + 48 * HOUR_MS, hourly: { start, counts: new Float64Array(48) }, eventTimes: new Float64Array() }
    expect(() => hawkesModel.fit(emptyInputs, { baseline: "constant" })).toThrow(ModelFitError)
    expect(() => hawkesModel.fit(emptyInputs, { baseline: "constant" })).toThrow(/no events/)
    const few = Float64Array.from([start + 3_600_000, start + 7_200_000])
    const shortInputs: ModelInputs = { ...emptyInputs, eventTimes: few }
    expect(() => hawkesModel.fit(shortInputs, { baseline: "hour_of_day_day_of_week" })).toThrow(/too short/)
    expect(() => hawkesModel.fit(shortInputs, { baseline: "hour_of_day", exogenous: true })).toThrow(/no exogenous series/)
    const zeroExo: ModelInputs = { ...shortInputs, exogenous: new Float64Array(48) }
    expect(() => hawkesModel.fit(zeroExo, { baseline: "hour_of_day", exogenous: true })).toThrow(/not identified/)
    const lookAhead: ModelInputs = { ...emptyInputs, eventTimes: Float64Array.from([start + 48 * HOUR_MS]) }
    expect(() => hawkesModel.fit(lookAhead, { baseline: "constant" })).toThrow(/not before the window end/)
  })
})
