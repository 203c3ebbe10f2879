import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { hawkesDataFromHours, logLikelihood, type HawkesBaseline, type HawkesData, type HawkesParams } from "../../../../src/domain/models/hawkes/index"
import { naturalDerivatives } from "../../../../src/domain/models/hawkes/fit"
import { hawkesLayout, packParams } from "../../../../src/domain/models/hawkes/params"
import { loadReal, loadSimulated, realData, relErr, simulatedData, SIMULATED_START } from "./reference"
import { naiveLogLik } from "./naive"

const periodic = loadReal("periodic")
const constant = loadReal("constant")
const simulated = loadSimulated()
const asParams = (p: { mu: number[]; alpha: number; beta: number }): HawkesParams => ({ ...p, gamma: 0 })

/** A week of the real window as hours, for the dense derivative checks. */
const prefix = (hours: number): { start: number; times: Float64Array } => {
  const start = Date.parse(periodic.window_start)
  return { start, times: Float64Array.from(periodic.event_times_hours.filter((t) => t < hours)) }
}

/** Some non-trivial parameters for every baseline (day factors relative to Monday). */
const paramsFor = (baseline: HawkesBaseline, gamma = 0): HawkesParams => ({
  mu: baseline === "constant" ? [0.8] : Array.from({ length: 24 }, (_, h) => 0.3 + 0.05 * h),
  ...(baseline === "hour_of_day_day_of_week" ? { dayOfWeek: [1, 1.2, 0.9, 1.1, 0.8, 1.3, 0.7] } : {}),
  alpha: 0.7,
  beta: 6,
  gamma
})

/** Exogenous series: a block of hours at 1, some at fractional levels, the rest 0. */
const exoSeries = (hours: number): Float64Array => Float64Array.from({ length: hours }, (_, k) => (k % 24 >= 13 && k % 24 < 17 ? 1 : k % 37 === 0 ? 0.4 : 0))

describe("Hawkes log-likelihood vs the independent reference (fixed parameters)", () => {
  for (const [name, ref, baseline] of [
    ["constant", constant, "constant"],
    ["periodic", periodic, "hour_of_day"]
  ] as const) {
    it(`${name}: exposures, log-likelihood to 1e-9 relative and gradient at both fixed points`, () => {
      const data = realData(ref, baseline)
      expect(data.times.length).toBe(ref.n_events)
      expect(Array.from(data.exposure)).toEqual(ref.bin_exposure_hours)
      for (const fx of ref.fixed_parameter_checks) {
        const grad = new Float64Array(fx.gradient.length)
        const ll = logLikelihood(data, asParams(fx.params), grad)
        expect(relErr(ll, fx.loglik)).toBeLessThan(1e-9)
        fx.gradient.forEach((g, j) => expect(Math.abs(grad[j]! - g)).toBeLessThan(1e-8 * Math.max(1, Math.abs(g))))
      }
    })

    it(`${name}: the O(N) recursion equals the naive O(N²) sum on the first-week prefix`, () => {
      for (const fx of ref.fixed_parameter_checks) {
        const pc = fx.prefix_check
        const { start, times } = prefix(pc.prefix_T_hours)
        expect(times.length).toBe(pc.prefix_n_events)
        const data = hawkesDataFromHours(baseline, start, pc.prefix_T_hours, times)
        const ll = logLikelihood(data, asParams(fx.params))
        const naive = naiveLogLik(baseline, start, pc.prefix_T_hours, times, asParams(fx.params))
        expect(Math.abs(ll - naive)).toBeLessThan(1e-10 * Math.max(1, Math.abs(naive)))
        expect(Math.abs(naive - pc.loglik_naive_O_N2)).toBeLessThan(1e-9 * Math.max(1, Math.abs(pc.loglik_naive_O_N2)))
      }
    })
  }

  it("simulated set: log-likelihood at the true parameters to 1e-9 relative", () => {
    const ll = logLikelihood(simulatedData(simulated), asParams(simulated.true_params))
    expect(relErr(ll, simulated.loglik_at_true_params)).toBeLessThan(1e-9)
  })
})

describe("Hawkes derivatives (all baselines, with and without the exogenous term)", () => {
  const cases: Array<[HawkesBaseline, boolean]> = [
    ["constant", false],
    ["hour_of_day", false],
    ["hour_of_day_day_of_week", false],
    ["hour_of_day", true],
    ["hour_of_day_day_of_week", true]
  ]
  const T = 336
  const { start, times } = prefix(T)
  const dataOf = (baseline: HawkesBaseline, exo: boolean): HawkesData =>
    hawkesDataFromHours(baseline, start, T, times, exo ? exoSeries(T) : undefined)

  for (const [baseline, exo] of cases) {
    const label = `${baseline}${exo ? " + exogenous" : ""}`
    it(`${label}: recursion equals the naive O(N²) likelihood`, () => {
      const params = paramsFor(baseline, exo ? 0.6 : 0)
      const ll = logLikelihood(dataOf(baseline, exo), params)
      const naive = naiveLogLik(baseline, start, T, times, params, exo ? exoSeries(T) : undefined)
      expect(Math.abs(ll - naive)).toBeLessThan(1e-10 * Math.abs(naive))
    })

    it(`${label}: analytic gradient and Hessian agree with central differences`, () => {
      const data = dataOf(baseline, exo)
      const layout = hawkesLayout(baseline, exo)
      const p = packParams(layout, paramsFor(baseline, exo ? 0.6 : 0))
      const at = naturalDerivatives(data, layout, p)
      const n = layout.n
      // The fit's fast gradient path and the Hessian pass agree.
      const gFast = new Float64Array(n)
      expect(logLikelihood(data, paramsFor(baseline, exo ? 0.6 : 0), gFast)).toBeCloseTo(at.logLik, 9)
      for (let j = 0; j < n; j++) expect(Math.abs(gFast[j]! - at.grad[j]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(at.grad[j]!)))
      for (let j = 0; j < n; j++) {
        const h = 1e-5 * Math.max(1, Math.abs(p[j]!))
        const up = Float64Array.from(p)
        const dn = Float64Array.from(p)
        up[j]! += h
        dn[j]! -= h
        const fu = naturalDerivatives(data, layout, up)
        const fd = naturalDerivatives(data, layout, dn)
        const gFd = (fu.logLik - fd.logLik) / (2 * h)
        expect(Math.abs(at.grad[j]! - gFd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(gFd)))
        for (let i = 0; i < n; i++) {
          const hFd = (fu.grad[i]! - fd.grad[i]!) / (2 * h)
          expect(Math.abs(at.hessian[i * n + j]! - hFd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(hFd)))
        }
      }
    })
  }
})

describe("Hawkes ties and edge cases", () => {
  it("identical timestamps: the later event is excited by αβ from the earlier (naive j < i convention)", () => {
    const times = Float64Array.from([0.5, 0.5, 0.5, 1.25, 3.0, 3.0])
    const data = hawkesDataFromHours("constant", SIMULATED_START, 5, times)
    expect(data.tiedPairs).toBe(3)
    const params: HawkesParams = { mu: [0.4], alpha: 0.6, beta: 2, gamma: 0 }
    const ll = logLikelihood(data, params)
    // By hand: λ at the three tied events is μ, μ+αβ, μ+2αβ.
    const ab = 0.6 * 2
    const hand0 = Math.log(0.4) + Math.log(0.4 + ab) + Math.log(0.4 + 2 * ab)
    const naive = naiveLogLik("constant", SIMULATED_START, 5, times, params)
    expect(Math.abs(ll - naive)).toBeLessThan(1e-12)
    const llFirstThree = logLikelihood(hawkesDataFromHours("constant", SIMULATED_START, 0.75, times.subarray(0, 3)), params)
    const comp = 0.4 * 0.75 + 3 * 0.6 * (1 - Math.exp(-2 * 0.25))
    expect(Math.abs(llFirstThree - (hand0 - comp))).toBeLessThan(1e-12)
  })

  it("property: recursion equals the naive sum for random event sets with ties, any baseline", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 0, maxLength: 60 }),
        fc.constantFrom<HawkesBaseline>("constant", "hour_of_day", "hour_of_day_day_of_week"),
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        fc.double({ min: 0.05, max: 40, noNaN: true }),
        (ticks, baseline, alpha, beta) => {
          // Quarter-hour ticks make ties frequent; T = 101 h covers parts of 5 days.
          const times = Float64Array.from(ticks.map((k) => k / 4).sort((a, b) => a - b))
          const params = { ...paramsFor(baseline), alpha, beta }
          const start = SIMULATED_START + 5 * 3_600_000
          const ll = logLikelihood(hawkesDataFromHours(baseline, start, 101, times), params)
          const naive = naiveLogLik(baseline, start, 101, times, params)
          return Math.abs(ll - naive) <= 1e-9 * Math.max(1, Math.abs(naive))
        }
      ),
      { numRuns: 200, seed: 7 }
    )
  })

  it("rejects out-of-window or unsorted events and invalid parameters", () => {
    expect(() => hawkesDataFromHours("constant", SIMULATED_START, 10, Float64Array.from([1, 0.5]))).toThrow(/ascending/)
    expect(() => hawkesDataFromHours("constant", SIMULATED_START, 10, Float64Array.from([10]))).toThrow(/outside/)
    expect(() => hawkesDataFromHours("constant", SIMULATED_START + 1, 10, new Float64Array())).toThrow(/UTC hour/)
    const data = hawkesDataFromHours("constant", SIMULATED_START, 10, Float64Array.from([1]))
    expect(() => logLikelihood(data, { mu: [1], alpha: 1, beta: 1, gamma: 0 })).toThrow(/alpha/)
    expect(() => logLikelihood(data, { mu: [1, 2], alpha: 0.5, beta: 1, gamma: 0 })).toThrow(/levels/)
  })
})
