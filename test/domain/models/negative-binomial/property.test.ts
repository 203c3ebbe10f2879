/** Property: on random NB2 data sets the fit converges to a maximum (zero score, no better neighbour). */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fitNbRegression, Nb2Likelihood } from "../../../../src/domain/models/negative-binomial/index"
import { toCsr } from "../../../../src/domain/models/negative-binomial/sparse"
import { Rng } from "../../../../src/domain/random"

describe("NB2 fit on random data", () => {
  it("converges to a local maximum: finite, tiny score, and no perturbation does better", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60, max: 400 }),
        fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 4, noNaN: true })),
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (n, alpha, b0, seed) => {
          const rng = Rng.seeded(seed)
          const p = 3
          const X = new Float64Array(n * p)
          const y = new Float64Array(n)
          for (let i = 0; i < n; i++) {
            X[i * p] = 1
            X[i * p + 1] = rng.normal()
            X[i * p + 2] = i % 3 === 0 ? 1 : 0
            y[i] = rng.negativeBinomial(Math.exp(b0 + 0.4 * X[i * p + 1]! - 0.3 * X[i * p + 2]!), alpha)
          }
          let total = 0
          for (let i = 0; i < n; i++) total += y[i]!
          fc.pre(total > 0)
          const fit = fitNbRegression(X, y, ["const", "x", "d"])
          expect(fit.converged).toBe(true)
          expect(fit.beta.every(Number.isFinite)).toBe(true)
          expect(Number.isFinite(fit.alpha) && fit.alpha >= 0).toBe(true)
          expect(fit.maxAbsScore).toBeLessThan(1e-6 * Math.max(1, total))
          const lik = new Nb2Likelihood(toCsr(X, n, p), y)
          for (let k = 0; k < 8; k++) {
            const b = Array.from(fit.beta, (v) => v + 1e-3 * rng.normal())
            const a = Math.max(0, fit.alpha * (1 + 1e-3 * rng.normal()))
            lik.setBeta(b)
            expect(lik.loglik(a)).toBeLessThanOrEqual(fit.llf + 1e-9 * Math.abs(fit.llf))
          }
        }
      ),
      { numRuns: 60, seed: 20251127 }
    )
  })
})
