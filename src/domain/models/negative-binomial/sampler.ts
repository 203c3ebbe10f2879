/**
 * NB2 draws for the simulator. For the small means of hourly counts, inversion of the pmf by sequential
 * search costs one uniform and about μ+1 multiply-adds — several times cheaper than the Gamma–Poisson
 * mixture of `Rng.negativeBinomial`, which stays in use for larger means (search cost grows with μ).
 *
 *   P(0) = (1+αμ)^(−1/α),   P(k+1) = P(k) · (k + 1/α)/(k+1) · αμ/(1+αμ)
 */
import type { Rng } from "../../random"

/** Means above this use the Gamma–Poisson mixture. */
export const INVERSION_MAX_MEAN = 40

/** 1/(k+1), so the search multiplies instead of dividing. */
const RECIPROCALS = Float64Array.from({ length: 1024 }, (_, k) => 1 / (k + 1))

/**
 * One NB2(μ, α) draw; `r` must be 1/α (passed in so callers hoist the division). α = 0 draws Poisson(μ).
 * Consumes exactly one uniform per draw when 0 < μ ≤ INVERSION_MAX_MEAN and α > 0.
 */
export const drawNb2 = (rng: Rng, mu: number, alpha: number, r: number): number => {
  if (!(mu > 0)) return 0
  if (alpha === 0) return rng.poisson(mu)
  if (mu > INVERSION_MAX_MEAN) return rng.negativeBinomial(mu, alpha)
  const am = alpha * mu
  const q = am / (1 + am)
  let p = Math.exp(-r * Math.log1p(am))
  // Search for the smallest k with P(Y ≤ k) ≥ u, subtracting the pmf from u as it goes.
  let u = rng.uniform() - p
  let k = 0
  while (u > 0) {
    p *= q * (k + r) * (k < 1024 ? RECIPROCALS[k]! : 1 / (k + 1))
    k++
    u -= p
    // Rounding can leave u a hair above 0 deep in the tail: stop once the terms vanish.
    if (p < 1e-17 && k > mu) break
  }
  return k
}
