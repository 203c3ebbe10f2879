/**
 * The one seeded PRNG of MuskTracker. Every Monte Carlo draw in the project goes through `Rng`,
 * so a (seed, code version) pair reproduces a forecast bit for bit.
 *
 * Uniforms come from pure-rand's xoroshiro128+ (well tested, jumpable for independent streams);
 * the variate transforms below are the standard exact algorithms, written out so their order of
 * uniform consumption is fixed and documented (a library upgrade must not silently change forecasts).
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus"
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator"

const TWO_POW_M32 = 2 ** -32
const TWO_POW_M53 = 2 ** -53

export class Rng {
  private constructor(private readonly gen: JumpableRandomGenerator) {}

  /** A generator seeded with a 32-bit integer (larger seeds are reduced modulo 2^32). */
  static seeded(seed: number): Rng {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`)
    return new Rng(xoroshiro128plus(Math.trunc(seed) | 0))
  }

  /**
   * `count` statistically independent generators (xoroshiro jumps of 2^64 draws each), in a fixed order,
   * so parallel work split by stream index gives the same numbers whatever the number of workers.
   */
  static streams(seed: number, count: number): Rng[] {
    const out: Rng[] = []
    const base = xoroshiro128plus(Math.trunc(seed) | 0)
    for (let i = 0; i < count; i++) {
      out.push(new Rng(base.clone() as JumpableRandomGenerator))
      base.jump()
    }
    return out
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = (this.gen.next() >>> 0) >>> 5 // 27 bits
    const lo = (this.gen.next() >>> 0) >>> 6 // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_M53
  }

  /** Uniform on (0, 1): never exactly 0, safe under log. */
  uniformPositive(): number {
    let u = this.uniform()
    while (u === 0) u = this.uniform()
    return u
  }

  /** A uniform 32-bit unsigned integer scaled to [0, 1) (cheaper; 32 bits). */
  uniform32(): number {
    return (this.gen.next() >>> 0) * TWO_POW_M32
  }

  /** Integer uniform on {0, ..., n-1}. */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }

  /** Exponential with rate 1. */
  exponential(): number {
    return -Math.log(this.uniformPositive())
  }

  /** Standard normal (Marsaglia polar method; the spare value is discarded to keep consumption simple). */
  normal(): number {
    while (true) {
      const u = 2 * this.uniform() - 1
      const v = 2 * this.uniform() - 1
      const s = u * u + v * v
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s)
    }
  }

  /** Gamma(shape, scale=1) by Marsaglia & Tsang (2000); shape < 1 via the u^(1/shape) boost. */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`)
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniformPositive(), 1 / shape)
    const d = shape - 1 / 3
    const c = 1 / Math.sqrt(9 * d)
    while (true) {
      let x: number
      let v: number
      do {
        x = this.normal()
        v = 1 + c * x
      } while (v <= 0)
      v = v * v * v
      const u = this.uniformPositive()
      if (u < 1 - 0.0331 * x * x * x * x) return d * v
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
    }
  }

  /**
   * Poisson(mean). Inversion by sequential search for mean < 30 (exact, fast for the small hourly
   * rates we mostly see); Hörmann's PTRS transformed rejection (1993) above, also exact.
   */
  poisson(mean: number): number {
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`poisson mean must be finite and >= 0, got ${mean}`)
    if (mean === 0) return 0
    if (mean < 30) {
      let k = 0
      let p = Math.exp(-mean)
      let cdf = p
      const u = this.uniform()
      while (u > cdf) {
        k++
        p *= mean / k
        cdf += p
        if (p < 1e-300 && cdf >= 1 - 1e-15) break
      }
      return k
    }
    const slam = Math.sqrt(mean)
    const loglam = Math.log(mean)
    const b = 0.931 + 2.53 * slam
    const a = -0.059 + 0.02483 * b
    const invalpha = 1.1239 + 1.1328 / (b - 3.4)
    const vr = 0.9277 - 3.6224 / (b - 2)
    while (true) {
      const U = this.uniform() - 0.5
      const V = this.uniformPositive()
      const us = 0.5 - Math.abs(U)
      const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43)
      if (us >= 0.07 && V <= vr) return k
      if (k < 0 || (us < 0.013 && V > us)) continue
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) return k
    }
  }

  /** NB2 draw with mean mu and dispersion alpha (Var = mu + alpha mu^2), as a Gamma–Poisson mixture. */
  negativeBinomial(mu: number, alpha: number): number {
    if (mu <= 0) return 0
    if (alpha <= 0) return this.poisson(mu)
    const shape = 1 / alpha
    return this.poisson(this.gamma(shape) * mu * alpha)
  }
}

const LOG_FACTORIAL_TABLE: number[] = (() => {
  const t = [0]
  for (let k = 1; k < 256; k++) t.push(t[k - 1]! + Math.log(k))
  return t
})()

/** log(k!) exactly from a table for k < 256, Stirling's series beyond (error < 1e-15 relative there). */
export const logFactorial = (k: number): number => {
  if (k < 256) return LOG_FACTORIAL_TABLE[k]!
  const x = k + 1
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x)
}
