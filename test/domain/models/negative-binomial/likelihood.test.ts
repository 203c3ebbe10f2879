/** The analytic score and Hessian against central finite differences, and the special-function paths. */
import { describe, expect, it } from "vitest"
import { Nb2Likelihood } from "../../../../src/domain/models/negative-binomial/index"
import { digammaDiff, lgammaRatio, trigammaDiff } from "../../../../src/domain/models/negative-binomial/loglik"
import { toCsr } from "../../../../src/domain/models/negative-binomial/sparse"
import { digamma, lgamma, trigamma } from "../../../../src/domain/stats/special"
import { Rng } from "../../../../src/domain/random"

/** A small dense problem: n rows, intercept + 3 covariates, NB2 counts. */
const problem = (seed: number, n = 300, withBig = false) => {
  const rng = Rng.seeded(seed)
  const p = 4
  const X = new Float64Array(n * p)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    X[i * p] = 1
    X[i * p + 1] = rng.normal()
    X[i * p + 2] = rng.uniform() < 0.3 ? 1 : 0
    X[i * p + 3] = rng.uniform() * 2
    const mu = Math.exp(0.8 + 0.4 * X[i * p + 1]! - 0.5 * X[i * p + 2]! + 0.3 * X[i * p + 3]!)
    y[i] = rng.negativeBinomial(mu, 0.7)
  }
  if (withBig) y[0] = 5000 // beyond the per-alpha tables: the special-function path
  return { lik: new Nb2Likelihood(toCsr(X, n, p), y), p }
}

const fd = (f: (h: number) => number, h = 1e-5) => (f(h) - f(-h)) / (2 * h)

describe("NB2 derivatives", () => {
  for (const withBig of [false, true]) {
    it(`score and Hessian match finite differences${withBig ? " (with a count beyond the tables)" : ""}`, () => {
      const { lik, p } = problem(3, 300, withBig)
      const beta = [0.7, 0.35, -0.4, 0.25]
      const alpha = 0.9
      const ll = (b: number[], a: number) => {
        lik.setBeta(b)
        return lik.loglik(a)
      }
      lik.setBeta(beta)
      const score = new Float64Array(p)
      lik.scoreBeta(alpha, score)
      const sa = lik.scoreAlpha(alpha)
      const haa = lik.hessianAlpha(alpha)
      // The one-pass version used by the optimiser agrees with the two separate ones.
      const [sa1, haa1] = lik.alphaDerivatives(alpha)
      expect(Math.abs(sa1 - sa)).toBeLessThan(1e-12 * (1 + Math.abs(sa)))
      expect(Math.abs(haa1 - haa)).toBeLessThan(1e-12 * (1 + Math.abs(haa)))
      const hba = new Float64Array(p)
      lik.hessianBetaAlpha(alpha, hba)
      const w = new Float64Array(lik.n)
      lik.etaWeights(alpha, "observed", w)
      for (let j = 0; j < p; j++) {
        const num = fd((h) => ll(beta.map((b, k) => (k === j ? b + h : b)), alpha))
        expect(Math.abs(score[j]! - num)).toBeLessThan(1e-5 * (1 + Math.abs(num)))
      }
      const numA = fd((h) => ll(beta, alpha + h))
      expect(Math.abs(sa - numA)).toBeLessThan(1e-5 * (1 + Math.abs(numA)))
      const scoreAt = (a: number) => {
        lik.setBeta(beta)
        return lik.scoreAlpha(a)
      }
      expect(Math.abs(haa - fd((h) => scoreAt(alpha + h)))).toBeLessThan(1e-4 * (1 + Math.abs(haa)))
      // d/dα of the β-score is the cross term.
      for (let j = 0; j < p; j++) {
        const num = fd((h) => {
          lik.setBeta(beta)
          const s = new Float64Array(p)
          lik.scoreBeta(alpha + h, s)
          return s[j]!
        })
        expect(Math.abs(hba[j]! - num)).toBeLessThan(1e-5 * (1 + Math.abs(num)))
      }
      // Observed weights: −∂²ℓ/∂η² per observation, so XᵀWX is −∂²ℓ/∂β². Check its (1,1) entry.
      lik.setBeta(beta)
      const d2 = fd((h) => {
        lik.setBeta(beta.map((b, k) => (k === 1 ? b + h : b)))
        const s = new Float64Array(p)
        lik.scoreBeta(alpha, s)
        return s[1]!
      })
      const X = lik.A
      let g11 = 0
      for (let i = 0; i < lik.n; i++) {
        for (let k = X.rowPtr[i]!; k < X.rowPtr[i + 1]!; k++) if (X.colIdx[k] === 1) g11 += w[i]! * X.values[k]! ** 2
      }
      expect(Math.abs(-g11 - d2)).toBeLessThan(1e-5 * Math.abs(d2))
    })
  }

  it("tends to the Poisson log-likelihood as alpha -> 0", () => {
    const { lik } = problem(5)
    lik.setBeta([0.7, 0.35, -0.4, 0.25])
    const poisson = lik.loglik(0)
    expect(Math.abs(lik.loglik(1e-9) - poisson)).toBeLessThan(1e-5 * Math.abs(poisson))
    expect(Math.abs(lik.loglik(1e-6) - poisson)).toBeGreaterThan(Math.abs(lik.loglik(1e-9) - poisson))
  })

  it("finite-sum Gamma differences equal the special functions", () => {
    for (const r of [0.05, 0.354, 1, 7.5, 1e3]) {
      for (const y of [1, 2, 7, 40, 64]) {
        expect(lgammaRatio(y, r)).toBeCloseTo(lgamma(y + r) - lgamma(r), 9)
        expect(Math.abs(digammaDiff(y, r) - (digamma(y + r) - digamma(r)))).toBeLessThan(1e-10 * (1 + Math.abs(digammaDiff(y, r))))
        expect(Math.abs(trigammaDiff(y, r) - (trigamma(y + r) - trigamma(r)))).toBeLessThan(1e-9 * (1 + Math.abs(trigammaDiff(y, r))))
      }
      // Non-integer and large counts go through the special functions themselves.
      expect(lgammaRatio(2.5, r)).toBe(lgamma(2.5 + r) - lgamma(r))
      expect(digammaDiff(500, r)).toBe(digamma(500 + r) - digamma(r))
    }
  })
})
