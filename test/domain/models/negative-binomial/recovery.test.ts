/** Simulated data with known β and α: the estimates and their standard errors must cover the truth. */
import { describe, expect, it } from "vitest"
import { fitNbRegression, negativeBinomialModel, simulateNb } from "../../../../src/domain/models/negative-binomial/index"
import { invertSpd } from "../../../../src/domain/models/negative-binomial/linalg"
import { Rng } from "../../../../src/domain/random"
import { HOUR_MS } from "../../../../src/domain/time"
import { loadReference } from "./helpers"

const Z95 = 1.959963984540054

describe("NB2 recovers known parameters", () => {
  it("95% Wald intervals cover beta and alpha at about the nominal rate (60 replications)", () => {
    const truth = { beta: [0.5, 0.3, -0.6], alpha: 0.8 }
    const reps = 60
    const n = 1500
    const rng = Rng.seeded(2024)
    const covered = [0, 0, 0, 0]
    const sums = [0, 0, 0, 0]
    for (let r = 0; r < reps; r++) {
      const X = new Float64Array(n * 3)
      const y = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        X[i * 3] = 1
        X[i * 3 + 1] = rng.normal()
        X[i * 3 + 2] = rng.uniform() < 0.4 ? 1 : 0
        const mu = Math.exp(truth.beta[0]! + truth.beta[1]! * X[i * 3 + 1]! + truth.beta[2]! * X[i * 3 + 2]!)
        y[i] = rng.negativeBinomial(mu, truth.alpha)
      }
      const fit = fitNbRegression(X, y, ["const", "x", "d"])
      expect(fit.converged).toBe(true)
      const est = [...fit.beta, fit.alpha]
      const se = [...fit.se.map((s) => s!), fit.seAlpha!]
      const tru = [...truth.beta, truth.alpha]
      for (let j = 0; j < 4; j++) {
        if (Math.abs(est[j]! - tru[j]!) <= Z95 * se[j]!) covered[j]!++
        sums[j]! += est[j]!
      }
    }
    // Binomial(60, 0.95): P(coverage < 0.85) ≈ 0.2%.
    for (let j = 0; j < 4; j++) expect(covered[j]! / reps).toBeGreaterThanOrEqual(0.85)
    // No visible bias: mean estimate within 0.05 of the truth (the per-fit SEs are ~0.02-0.05).
    const tru = [...truth.beta, truth.alpha]
    for (let j = 0; j < 4; j++) expect(Math.abs(sums[j]! / reps - tru[j]!)).toBeLessThan(0.05)
  })

  it("recovers the hourly model (32 columns, lag feedback) from 12 weeks simulated by its own recursion", () => {
    const ref = loadReference()
    const truth = { beta: ref.nb2_mle.beta, alpha: ref.nb2_mle.alpha }
    const hours = 12 * 168
    const origin = Date.parse(ref.data.timestamps_utc[0]!)
    const history = Float64Array.from(ref.data.counts_prior_168h)
    const sim = simulateNb({ beta: truth.beta, alpha: truth.alpha, history, origin, hours, paths: 1, rng: Rng.seeded(99) })
    const counts = new Float64Array(168 + hours)
    counts.set(history)
    counts.set(sim.samples.values, 168)
    const start = origin - 168 * HOUR_MS
    const fitted = negativeBinomialModel.fit({ origin: origin + hours * HOUR_MS, hourly: { start, counts }, eventTimes: new Float64Array() }, {})
    const d = fitted.diagnostics
    expect(d.converged).toBe(true)
    expect(d.nobs).toBe(hours)
    // alpha inside its 95% interval.
    expect(Math.abs(fitted.params.alpha - truth.alpha)).toBeLessThanOrEqual(Z95 * d.seAlpha!)
    // Most betas inside their 95% intervals (32 intervals: expect ~30; at least 27 fails with prob. < 1%)...
    const inside = ref.data.columns.filter((c, j) => Math.abs(d.coefficients[c]!.estimate - truth.beta[j]!) <= Z95 * d.coefficients[c]!.se!)
    expect(inside.length).toBeGreaterThanOrEqual(27)
    // ...and jointly: the Wald statistic (β̂−β)ᵀ Cov⁻¹ (β̂−β) below the 99.9% point of χ²(32) = 62.49.
    const cov = Float64Array.from(fitted.params.covBeta!)
    const prec = invertSpd(cov, 32)!
    const diff = ref.data.columns.map((_, j) => fitted.params.beta[j]! - truth.beta[j]!)
    let wald = 0
    for (let a = 0; a < 32; a++) for (let b = 0; b < 32; b++) wald += diff[a]! * prec[a * 32 + b]! * diff[b]!
    expect(wald).toBeLessThan(62.49)
    expect(wald).toBeGreaterThan(0)
  })
})
