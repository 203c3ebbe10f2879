/** The recursive simulator and the CountModel forecast. */
import { describe, expect, it } from "vitest"
import { buildNbDesign, negativeBinomialModel, simulateNb, type NbFitted } from "../../../../src/domain/models/negative-binomial/index"
import { drawNb2, INVERSION_MAX_MEAN, Nb2Sampler, SQUEEZE_EPS, TABLE_MAX_R } from "../../../../src/domain/models/negative-binomial/sampler"
import { MU_CAP } from "../../../../src/domain/models/negative-binomial/simulate"
import { ModelFitError, summarizePaths, type ModelInputs } from "../../../../src/domain/models/model"
import { Rng } from "../../../../src/domain/random"
import { HOUR_MS } from "../../../../src/domain/time"
import { lgamma } from "../../../../src/domain/stats/special"
import { loadReference } from "./helpers"

const ref = loadReference()
const origin = Date.parse(ref.data.timestamps_utc[0]!) + 672 * HOUR_MS
const counts = Float64Array.from([...ref.data.counts_prior_168h, ...ref.data.y])
const inputs: ModelInputs = { origin, hourly: { start: origin - counts.length * HOUR_MS, counts }, eventTimes: new Float64Array() }

const nbPmf = (k: number, mu: number, alpha: number): number => {
  const r = 1 / alpha
  return Math.exp(lgamma(k + r) - lgamma(r) - lgamma(k + 1) - r * Math.log1p(alpha * mu) + k * Math.log((alpha * mu) / (1 + alpha * mu)))
}

describe("NB2 sampler", () => {
  for (const [mu, alpha] of [
    [0.3, 0.5],
    [2.4, 2.8],
    [15, 0.4]
  ] as const) {
    it(`inversion draws follow the NB2 pmf (mu=${mu}, alpha=${alpha}): chi-square test`, () => {
      const rng = Rng.seeded(5)
      const N = 40_000
      const hist = new Map<number, number>()
      for (let i = 0; i < N; i++) {
        const k = drawNb2(rng, mu, alpha, 1 / alpha)
        hist.set(k, (hist.get(k) ?? 0) + 1)
      }
      // Cells with expected count >= 20, the rest pooled into a tail cell.
      let chi2 = 0
      let cells = 0
      let tailObs = N
      let tailExp = N
      for (let k = 0; ; k++) {
        const e = N * nbPmf(k, mu, alpha)
        if (e < 20) break
        const o = hist.get(k) ?? 0
        chi2 += (o - e) ** 2 / e
        tailObs -= o
        tailExp -= e
        cells++
      }
      chi2 += (tailObs - tailExp) ** 2 / tailExp
      // df = cells; the 99.9% point of χ²(df) is below df + 4.5·sqrt(2·df) + 10 for these df.
      expect(chi2).toBeLessThan(cells + 4.5 * Math.sqrt(2 * cells) + 10)
    })
  }

  it("large means (Gamma-Poisson branch) and alpha = 0 (Poisson) have the right moments", () => {
    const rng = Rng.seeded(6)
    for (const [mu, alpha] of [
      [INVERSION_MAX_MEAN * 2, 0.3],
      [7, 0]
    ] as const) {
      const N = 40_000
      let s = 0
      let s2 = 0
      for (let i = 0; i < N; i++) {
        const k = drawNb2(rng, mu, alpha, alpha > 0 ? 1 / alpha : Infinity)
        s += k
        s2 += k * k
      }
      const mean = s / N
      const variance = s2 / N - mean * mean
      const v = mu + alpha * mu * mu
      expect(Math.abs(mean - mu)).toBeLessThan(4 * Math.sqrt(v / N))
      expect(Math.abs(variance / v - 1)).toBeLessThan(0.05)
    }
  })
})

describe("tabulated-P(0) sampler", () => {
  it("its P(0) table is within 1e-11 relative of (1+αμ)^(-1/α) over the whole table", () => {
    for (const alpha of [1 / TABLE_MAX_R, 0.8, 2.83, 10, 300]) {
      const s = new Nb2Sampler(alpha)
      const tEnd = Math.log(INVERSION_MAX_MEAN * alpha)
      let worst = 0
      for (let t = -12; t < tEnd; t += 1 / 2048 + 1e-7) {
        const exact = Math.exp(-Math.log1p(Math.exp(t)) / alpha)
        worst = Math.max(worst, Math.abs(s.p0Table(t) - exact) / exact)
      }
      expect(worst).toBeLessThan(1e-11)
      expect(worst).toBeLessThan(SQUEEZE_EPS / 100)
    }
  })

  it("gives exactly the draws of exact inversion, uniform for uniform", () => {
    for (const alpha of [0, 0.2, 0.5, 2.83, 40]) {
      const sampler = new Nb2Sampler(alpha)
      const a = Rng.seeded(17)
      const b = Rng.seeded(17)
      let mismatches = 0
      let sum = 0
      for (let i = 0; i < 20_000; i++) {
        const mu = [0, 1e-7, 0.05, 0.4, 2.4, 9, 39.9, 55][i % 8]! * (1 + (i % 13) / 50)
        const k = sampler.draw(a, mu, Math.log(alpha * mu))
        if (k !== drawNb2(b, mu, alpha, alpha > 0 ? 1 / alpha : Infinity)) mismatches++
        sum += k
      }
      expect(mismatches).toBe(0)
      expect(sum).toBeGreaterThan(0)
    }
  })

  it("redoes a draw exactly when u is within the squeeze margin of a cell edge", () => {
    const alpha = 2.83
    const mu = 1.7
    const r = 1 / alpha
    const q = (alpha * mu) / (1 + alpha * mu)
    const sampler = new Nb2Sampler(alpha)
    // Exact cdf at k = 0..3, then uniforms just below, at, and just above each edge.
    const cdf: number[] = []
    let p = Math.exp(-r * Math.log1p(alpha * mu))
    let c = p
    for (let k = 0; k < 4; k++) {
      cdf.push(c)
      p *= (q * (k + r)) / (k + 1)
      c += p
    }
    const fixed = (u: number) => ({ uniform: () => u }) as unknown as Rng
    for (const edge of cdf) {
      for (const u of [edge - 1e-12, edge, edge + 1e-12, edge - 2 * SQUEEZE_EPS, edge + 2 * SQUEEZE_EPS]) {
        expect(sampler.draw(fixed(u), mu, Math.log(alpha * mu))).toBe(drawNb2(fixed(u), mu, alpha, r))
      }
    }
  })
})

describe("NB2 recursive simulation", () => {
  const fitted = negativeBinomialModel.fit(inputs, {})

  it("equals a naive simulator that rebuilds each design row with buildNbDesign from the path so far", () => {
    const { beta, alpha } = fitted.params
    const hours = 60
    const paths = 3
    const fast = simulateNb({ beta, alpha, history: counts, origin, hours, paths, rng: Rng.seeded(42) }).samples
    const rng = Rng.seeded(42)
    for (let path = 0; path < paths; path++) {
      const series = Float64Array.from([...counts.subarray(counts.length - 168), ...new Array(hours).fill(0)])
      for (let h = 0; h < hours; h++) {
        // Design rows for hours [origin, origin + h]; the last row is hour h, built from counts before it.
        const d = buildNbDesign({ start: origin - 168 * HOUR_MS, counts: series.subarray(0, 168 + h + 1) }, { rows: 1 })
        let eta = 0
        for (let j = 0; j < 32; j++) eta += d.X[j]! * beta[j]!
        const k = drawNb2(rng, Math.exp(eta), alpha, 1 / alpha)
        series[168 + h] = k
        expect(fast.values[path * hours + h]).toBe(k)
      }
    }
  })

  it("forecasts are reproducible from the seed, non-negative integers, and the requested shape", () => {
    const a = negativeBinomialModel.forecast(fitted, inputs, 168, { paths: 2000, seed: 7 })
    const b = negativeBinomialModel.forecast(fitted, inputs, 168, { paths: 2000, seed: 7 })
    const c = negativeBinomialModel.forecast(fitted, inputs, 168, { paths: 2000, seed: 8 })
    expect(a.hours).toBe(168)
    expect(a.paths).toBe(2000)
    expect(a.origin).toBe(origin)
    expect(a.values.length).toBe(2000 * 168)
    const same = (x: Float64Array, y: Float64Array) => Buffer.from(x.buffer).equals(Buffer.from(y.buffer))
    expect(same(a.values, b.values)).toBe(true)
    expect(same(a.values, c.values)).toBe(false)
    expect(a.values.every((v) => v >= 0 && Number.isInteger(v))).toBe(true)
  })

  it("without lag effects the hourly mean and variance are NB2's exp(x'beta) and mu + alpha mu^2", () => {
    const beta = [...fitted.params.beta]
    beta[30] = 0
    beta[31] = 0
    const alpha = 1.2
    const paths = 20_000
    const sp = simulateNb({ beta, alpha, history: counts, origin, hours: 24, paths, rng: Rng.seeded(3) }).samples
    for (const h of [0, 7, 15, 23]) {
      const hod = new Date(origin + h * HOUR_MS).getUTCHours()
      const mu = Math.exp(beta[0]! + (hod > 0 ? beta[hod]! : 0)) // origin is a Monday: no dow term
      let s = 0
      let s2 = 0
      for (let p = 0; p < paths; p++) {
        const v = sp.values[p * 24 + h]!
        s += v
        s2 += v * v
      }
      const mean = s / paths
      const v = mu + alpha * mu * mu
      expect(Math.abs(mean - mu)).toBeLessThan(4 * Math.sqrt(v / paths))
      expect(Math.abs(s2 / paths - mean * mean - v) / v).toBeLessThan(0.15)
    }
  })

  it("lag feedback: a busier recent history raises the simulated means", () => {
    const quiet = Float64Array.from(counts)
    const busy = Float64Array.from(counts)
    for (let i = counts.length - 24; i < counts.length; i++) busy[i] = counts[i]! + 10
    // A positive effect of the 24 h sum and none of the 168 h mean (the busy hours raise both sums; the
    // reference fit's own effects are -0.03 and negative, which would mask the check).
    const beta = fitted.params.beta.map((b, j) => (j === 30 ? 0.4 : j === 31 ? 0 : b))
    const mean24 = (history: Float64Array) =>
      summarizePaths(simulateNb({ beta, alpha: fitted.params.alpha, history, origin, hours: 24, paths: 4000, rng: Rng.seeded(1) }).samples).totalMean
    expect(mean24(busy)).toBeGreaterThan(mean24(quiet) * 1.1)
    // With the sign reversed, the busy history lowers them.
    const damp = fitted.params.beta.map((b, j) => (j === 30 ? -0.4 : j === 31 ? 0 : b))
    const lowered = summarizePaths(simulateNb({ beta: damp, alpha: fitted.params.alpha, history: busy, origin, hours: 24, paths: 4000, rng: Rng.seeded(1) }).samples)
    const plain = summarizePaths(simulateNb({ beta: damp, alpha: fitted.params.alpha, history: quiet, origin, hours: 24, paths: 4000, rng: Rng.seeded(1) }).samples)
    expect(lowered.totalMean).toBeLessThan(plain.totalMean)
  })

  it("parameter uncertainty (off by default) widens the distribution of the week total", () => {
    const withUncertainty: NbFitted = { ...fitted, params: { ...fitted.params, parameterUncertainty: true } }
    const plain = summarizePaths(negativeBinomialModel.forecast(fitted, inputs, 168, { paths: 4000, seed: 2 }))
    const wide = summarizePaths(negativeBinomialModel.forecast(withUncertainty, inputs, 168, { paths: 4000, seed: 2 }))
    const spread = (s: typeof plain) => s.totalQuantiles[5]! - s.totalQuantiles[1]! // 90% - 10%
    expect(spread(wide)).toBeGreaterThan(spread(plain))
    expect(fitted.params.parameterUncertainty).toBe(false)
  })

  it("uses the exogenous intensity of the horizon when the model has the column", () => {
    const exogenous = new Float64Array(counts.length + 48)
    for (let i = 0; i < counts.length; i += 5) exogenous[i] = 1 // some history signal so the column is not constant
    const withExo: ModelInputs = { ...inputs, exogenous }
    const fit = negativeBinomialModel.fit(withExo, {})
    expect(fit.params.columns[32]).toBe("exo_intensity")
    const forced: NbFitted = { ...fit, params: { ...fit.params, beta: fit.params.beta.map((b, j) => (j === 32 ? 1 : b)) } }
    const on = Float64Array.from(exogenous)
    on.fill(1, counts.length, counts.length + 24)
    const mOff = summarizePaths(negativeBinomialModel.forecast(forced, withExo, 24, { paths: 4000, seed: 4 })).totalMean
    const mOn = summarizePaths(negativeBinomialModel.forecast(forced, { ...withExo, exogenous: on }, 24, { paths: 4000, seed: 4 })).totalMean
    // exp(1) ≈ 2.7 times the rate in every hour (a little more through the lag feedback).
    expect(mOn / mOff).toBeGreaterThan(2.2)
    // spec.exogenous = false ignores the series.
    expect(negativeBinomialModel.fit(withExo, { exogenous: false }).params.columns).toHaveLength(32)
  })

  it("caps runaway paths instead of overflowing", () => {
    const beta = [...fitted.params.beta]
    beta[30] = 3 // explosive feedback
    const sim = simulateNb({ beta, alpha: fitted.params.alpha, history: counts, origin, hours: 48, paths: 50, rng: Rng.seeded(9) })
    expect(sim.cappedSteps).toBeGreaterThan(0)
    expect(sim.samples.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true)
    // Draws at the capped mean are NB2(MU_CAP, alpha): heavy-tailed, but of that order, not astronomically larger.
    expect(Math.max(...sim.samples.values)).toBeLessThan(MU_CAP * 1000)
  })

  it("fit needs more than the 168 h warm-up and says so with a ModelFitError", () => {
    const short: ModelInputs = { origin, hourly: { start: origin - 168 * HOUR_MS, counts: counts.subarray(counts.length - 168) }, eventTimes: new Float64Array() }
    expect(() => negativeBinomialModel.fit(short, {})).toThrow(ModelFitError)
    expect(() => negativeBinomialModel.fit(short, {})).toThrow(/warm-up/)
    expect(() => negativeBinomialModel.fit(inputs, { trainHours: 0 })).toThrow(ModelFitError)
    expect(negativeBinomialModel.fit(inputs, { trainHours: 336 }).diagnostics.nobs).toBe(336)
  })

  it("needs 168 hours of history", () => {
    const short: ModelInputs = { origin, hourly: { start: origin - 100 * HOUR_MS, counts: counts.subarray(counts.length - 100) }, eventTimes: new Float64Array() }
    expect(() => negativeBinomialModel.forecast(fitted, short, 24, { paths: 10, seed: 1 })).toThrow(/168 hours/)
  })

  it("the fitted model is JSON-serialisable and survives a round trip", () => {
    const back = JSON.parse(JSON.stringify(fitted)) as NbFitted
    expect(back).toEqual(fitted)
    const a = negativeBinomialModel.forecast(fitted, inputs, 24, { paths: 100, seed: 5 })
    const b = negativeBinomialModel.forecast(back, inputs, 24, { paths: 100, seed: 5 })
    expect(Array.from(b.values)).toEqual(Array.from(a.values))
    expect(fitted.diagnostics.trainingStart).toBe("2025-11-03T00:00:00Z")
    expect(fitted.diagnostics.trainingEnd).toBe("2025-11-30T23:00:00Z")
  })
})
