import { describe, expect, it } from "vitest"
import { defaultSarimaxSpec, sarimaxModel, type SarimaxSpec } from "../../../../src/domain/models/sarimax/index"
import { filterAt, stateSpaceAt } from "../../../../src/domain/models/sarimax/arma-params"
import { buildRegressors, filterData } from "../../../../src/domain/models/sarimax/design"
import { combinedState, forecastMoments } from "../../../../src/domain/models/sarimax/forecast"
import { ModelFitError, summarizePaths, type ModelInputs } from "../../../../src/domain/models/model"
import { HOUR_MS } from "../../../../src/domain/time"
import { loadReference, maxRelErr } from "./reference"

const ref = loadReference()
const start = Date.parse(ref.data.timestamps_start_utc)
const inputsFrom = (counts: ArrayLike<number>, exogenous?: Float64Array): ModelInputs => ({
  origin: start + counts.length * HOUR_MS,
  hourly: { start, counts: Float64Array.from(counts) },
  eventTimes: new Float64Array(0),
  ...(exogenous ? { exogenous } : {})
})
const spec: SarimaxSpec = { ...defaultSarimaxSpec, windowHours: 672 }
const inputs = inputsFrom(ref.data.counts)
const fitted = sarimaxModel.fit(inputs, spec)

/** E[max(expm1(Y), 0)] for Y ~ N(mu, v), by the trapezoid rule on ±10 sd. */
const expectedCount = (mu: number, v: number): number => {
  const sd = Math.sqrt(v)
  const k = 4000
  let s = 0
  for (let i = 0; i <= k; i++) {
    const z = -10 + (20 * i) / k
    const w = (i === 0 || i === k ? 0.5 : 1) * Math.exp(-0.5 * z * z)
    s += w * Math.max(Math.expm1(mu + sd * z), 0)
  }
  return (s * (20 / k)) / Math.sqrt(2 * Math.PI)
}

describe("sarimaxModel.fit", () => {
  it("reproduces statsmodels' MLE from raw counts (log1p, hour-of-week Fourier, trend c)", () => {
    expect(fitted.kind).toBe("sarimax")
    expect(fitted.params.names).toEqual([
      "intercept", "fourier_sin1", "fourier_cos1", "fourier_sin2", "fourier_cos2", "ar.L1", "ma.L1", "ar.S.L24", "ma.S.L24", "sigma2"
    ])
    expect(fitted.diagnostics.loglik).toBeGreaterThanOrEqual(ref.mle.llf - 1e-6)
    expect(maxRelErr(fitted.params.values, ref.mle.params)).toBeLessThan(1e-2)
    expect(fitted.diagnostics.converged).toBe(true)
    expect(fitted.diagnostics.kParams).toBe(10)
    expect(fitted.diagnostics.aic).toBeCloseTo(-2 * fitted.diagnostics.loglik + 20, 9)
    expect(fitted.diagnostics.ljungBox.map((l) => l.lags)).toEqual([24, 48])
  })

  it("is JSON-serialisable without loss", () => {
    expect(JSON.parse(JSON.stringify(fitted))).toEqual(fitted)
  })

  it("fails with ModelFitError, not NaN, on a constant series", () => {
    expect(() => sarimaxModel.fit(inputsFrom(new Float64Array(672)), spec)).toThrow(ModelFitError)
  })

  it("drops an all-zero exogenous regressor and estimates a present one", () => {
    const noExo = sarimaxModel.fit(inputsFrom(ref.data.counts), { ...spec, useExogenous: true, order: [1, 0, 0], seasonalOrder: [0, 0, 0, 0] })
    expect(noExo.diagnostics.droppedRegressors).toEqual(["exogenous"])
    const exo = new Float64Array(672 + 168)
    const counts = Float64Array.from(ref.data.counts)
    for (let t = 100; t < 672; t += 50) {
      exo[t] = 1
      counts[t] = counts[t]! + 40
    }
    const withExo = sarimaxModel.fit(inputsFrom(counts, exo), { ...spec, useExogenous: true, order: [1, 0, 0], seasonalOrder: [0, 0, 0, 0] })
    expect(withExo.params.exogNames).toContain("exogenous")
    const beta = withExo.params.values[withExo.params.names.indexOf("exogenous")]!
    expect(beta).toBeGreaterThan(1.5) // log1p(40 + small) − log1p(small) ≈ 3
  })

  it.each(["sqrt", "none"] as const)("fits and forecasts with transform %s and trend 'ct'", (transform) => {
    const f = sarimaxModel.fit(inputs, { ...spec, transform, trend: "ct" })
    expect(f.params.names.slice(0, 2)).toEqual(["intercept", "drift"])
    const sp = sarimaxModel.forecast(f, inputs, 24, { paths: 200, seed: 1 })
    expect(sp.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true)
  })
})

describe("sarimaxModel.forecast", () => {
  const paths = 20000
  const sp = sarimaxModel.forecast(fitted, inputs, 24, { paths, seed: 42 })

  it("returns non-negative paths, reproducible by seed", () => {
    expect(sp.values.length).toBe(paths * 24)
    expect(sp.origin).toBe(inputs.origin)
    expect(sp.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true)
    const again = sarimaxModel.forecast(fitted, inputs, 24, { paths: 50, seed: 42 })
    const other = sarimaxModel.forecast(fitted, inputs, 24, { paths: 50, seed: 43 })
    expect(Array.from(again.values)).toEqual(Array.from(sp.values.subarray(0, 50 * 24)))
    expect(Array.from(other.values)).not.toEqual(Array.from(again.values))
  })

  it("point forecast = mean of back-transformed paths = E[max(expm1(Y), 0)], above expm1(E[Y])", () => {
    // Exact Gaussian moments of Y = log1p(count) at the fitted parameters (validated against statsmodels).
    const v = fitted.params.values
    const psi = Float64Array.from(v.slice(5, 9))
    const regs = buildRegressors(start, 672 + 24, 2, undefined)
    const fd = filterData(Float64Array.from(ref.data.y), "c", 1, regs.values, 4)
    const ss = stateSpaceAt({ p: 1, d: 0, q: 1, P: 1, D: 0, Q: 1, s: 24 }, psi)
    const fr = filterAt({ p: 1, d: 0, q: 1, P: 1, D: 0, Q: 1, s: 24 }, fd, psi)!
    const fut = {
      obsOffset: Float64Array.from({ length: 24 }, (_, h) => [1, 2, 3, 4].reduce((s, j) => s + v[j]! * regs.values[(672 + h) * 4 + j - 1]!, 0)),
      stateIntercept: new Float64Array(24).fill(v[0]!)
    }
    const mo = forecastMoments(ss, combinedState(fr, v.slice(0, 5), ss.m, ss.r), v[9]!, fut)
    const summary = summarizePaths(sp)
    for (let h = 0; h < 24; h++) {
      const col = Array.from({ length: paths }, (_, p) => sp.values[p * 24 + h]!)
      const mean = col.reduce((s, x) => s + x, 0) / paths
      const sd = Math.sqrt(col.reduce((s, x) => s + (x - mean) ** 2, 0) / (paths - 1))
      expect(summary.hourlyMean[h]).toBeCloseTo(mean, 10)
      expect(Math.abs(mean - expectedCount(mo.mean[h]!, mo.variance[h]!))).toBeLessThan(4.5 * (sd / Math.sqrt(paths)))
      expect(mean).toBeGreaterThan(Math.expm1(mo.mean[h]!))
    }
  })
})
