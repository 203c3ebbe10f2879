/**
 * NB2 draws for the simulator. For the small means of hourly counts, inversion of the pmf by sequential
 * search costs one uniform and about μ+1 multiply-adds — several times cheaper than the Gamma–Poisson
 * mixture of `Rng.negativeBinomial`, which stays in use for larger means (search cost grows with μ).
 *
 *   P(0) = (1+αμ)^(−1/α),   P(k+1) = P(k) · (k + 1/α)/(k+1) · αμ/(1+αμ)
 *
 * `Nb2Sampler` removes the two transcendental calls of P(0) (most of the cost of a draw) without giving up
 * exactness: P(0) as a function of t = log(αμ) is read from a cubic Hermite table with relative error
 * below 1e-11, and the search runs on the approximate pmf. Whenever u falls within SQUEEZE_EPS of the
 * chosen cell's edges — the only case where the approximation could change the answer — the draw is
 * redone with the exact P(0) and the same u. The result therefore equals exact inversion (`drawNb2`) draw
 * for draw; the redo happens with probability ~1e-8.
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
  return invertFrom(rng.uniform(), p0Exact(am, r), am / (1 + am), r, mu)
}

/** Grid of the P(0) table in t = log(αμ): spacing 1/256 from T_MIN to log(INVERSION_MAX_MEAN·α). */
const T_MIN = -12
const T_STEPS = 256
/** The table is used for r = 1/α up to this (its relative error grows like r⁴; below 1e-11 here). */
export const TABLE_MAX_R = 2
/** Margin of the squeeze test; far above the table's error, far below any probability that matters. */
export const SQUEEZE_EPS = 1e-8

/** Exact P(0) = (1+αμ)^(−r) from am = αμ. */
const p0Exact = (am: number, r: number): number => Math.exp(-r * Math.log1p(am))

/** NB2 draws for one α, with the P(0) table when α ≥ 1/TABLE_MAX_R (see the module comment). */
export class Nb2Sampler {
  readonly r: number
  /** Node i: [P(0), dP(0)/dt] at t = T_MIN + i/T_STEPS. */
  private readonly table: Float64Array | undefined
  private readonly tEnd: number

  constructor(readonly alpha: number) {
    if (!(alpha >= 0)) throw new RangeError(`alpha must be >= 0, got ${alpha}`)
    this.r = alpha > 0 ? 1 / alpha : Infinity
    if (alpha > 0 && this.r <= TABLE_MAX_R) {
      const nodes = Math.ceil((Math.log(INVERSION_MAX_MEAN * alpha) - T_MIN) * T_STEPS) + 2
      const table = new Float64Array(2 * nodes)
      for (let i = 0; i < nodes; i++) {
        const e = Math.exp(T_MIN + i / T_STEPS)
        const p0 = p0Exact(e, this.r)
        table[2 * i] = p0
        table[2 * i + 1] = -this.r * (e / (1 + e)) * p0
      }
      this.table = table
      this.tEnd = T_MIN + (nodes - 1) / T_STEPS
    } else {
      this.table = undefined
      this.tEnd = -Infinity
    }
  }

  /** The table's P(0) at t = log(αμ) (T_MIN ≤ t < table end). Exposed for tests. */
  p0Table(t: number): number {
    const table = this.table!
    const x = (t - T_MIN) * T_STEPS
    const i = Math.floor(x)
    const f = x - i
    const o = 2 * i
    const f2 = f * f
    const f3 = f2 * f
    const h = 1 / T_STEPS
    return (
      (2 * f3 - 3 * f2 + 1) * table[o]! +
      (f3 - 2 * f2 + f) * h * table[o + 1]! +
      (3 * f2 - 2 * f3) * table[o + 2]! +
      (f3 - f2) * h * table[o + 3]!
    )
  }

  /**
   * One NB2(μ, α) draw. `t` must be log(αμ) up to rounding (callers that build μ from log-scale pieces
   * have it for free); it only picks the table cell. Identical to drawNb2(rng, mu, alpha, 1/alpha).
   */
  draw(rng: Rng, mu: number, t: number): number {
    if (this.table === undefined || !(t >= T_MIN && t < this.tEnd) || mu > INVERSION_MAX_MEAN) return drawNb2(rng, mu, this.alpha, this.r)
    const r = this.r
    const am = this.alpha * mu
    const q = am / (1 + am)
    const u = rng.uniform()
    let p = this.p0Table(t)
    let above = u
    let rem = u - p
    let k = 0
    while (rem > 0) {
      p *= q * (k + r) * (k < 1024 ? RECIPROCALS[k]! : 1 / (k + 1))
      k++
      above = rem
      rem -= p
      if (p < 1e-17 && k > mu) break
    }
    // u − cdf(k) ≤ 0 < u − cdf(k−1) decided with margin: the exact pmf would choose the same k.
    if (rem < -SQUEEZE_EPS && (k === 0 || above > SQUEEZE_EPS)) return k
    return invertFrom(u, p0Exact(am, r), q, r, mu)
  }
}

/** Exact inversion for a given uniform (the body of drawNb2). */
const invertFrom = (u0: number, p0: number, q: number, r: number, mu: number): number => {
  let p = p0
  let u = u0 - p
  let k = 0
  while (u > 0) {
    p *= q * (k + r) * (k < 1024 ? RECIPROCALS[k]! : 1 / (k + 1))
    k++
    u -= p
    if (p < 1e-17 && k > mu) break
  }
  return k
}
