/**
 * Score-driven negative binomial local level (Creal, Koopman & Lucas 2013; docs/models/nb-local-level.md),
 * on daily blocks y_1..y_n ending at the origin:
 *
 *   y_t | past ~ NB2(mean μ_t, size k),   μ_t = exp(λ_t) · f_t,   Var = μ_t + μ_t² / k
 *   λ_{t+1} = λ_t + α · (y_t − μ_t) / sqrt(μ_t + μ_t² / k)
 *
 * f_t is the block's day-of-week factor from the hour-of-week profile; the update is the Pearson
 * residual (the score of log μ scaled by the inverse square root of its Fisher information), so the
 * level moves by about α standard deviations' worth of surprise each day. λ_1 = log(mean of the first
 * INIT_BLOCKS blocks + 0.5). The model is observation-driven: the likelihood is exact, a sum of
 * one-step-ahead NB log pmfs, with no integral to approximate.
 */
import { lgamma } from "../../stats/special"

export const INIT_BLOCKS = 7

export interface LevelParams extends Record<string, number> {
  /** Step of the level per unit of Pearson residual (> 0). */
  readonly alpha: number
  /** NB2 size k (> 0); dispersion 1/k. */
  readonly size: number
}

/** log NB2 pmf of y with mean mu and size k. */
export const nbLogPmf = (y: number, mu: number, k: number): number =>
  lgamma(y + k) - lgamma(k) - lgamma(y + 1) + k * Math.log(k / (k + mu)) + y * Math.log(mu / (k + mu))

export const initialLogLevel = (y: ArrayLike<number>): number => {
  const m = Math.min(INIT_BLOCKS, y.length)
  let s = 0
  for (let t = 0; t < m; t++) s += y[t]!
  return Math.log(s / Math.max(1, m) + 0.5)
}

/** One step of the level recursion. */
export const updateLogLevel = (lambda: number, y: number, mu: number, p: LevelParams): number =>
  lambda + (p.alpha * (y - mu)) / Math.sqrt(mu + (mu * mu) / p.size)

export interface FilterResult {
  readonly logLik: number
  /** λ_{n+1}: the log level for the block after the last one (the origin's). */
  readonly nextLogLevel: number
}

/** Runs the filter over y (factors f, same length) and sums the one-step log pmfs. */
export const filterLevel = (y: ArrayLike<number>, factors: ArrayLike<number>, p: LevelParams): FilterResult => {
  let lambda = initialLogLevel(y)
  let ll = 0
  for (let t = 0; t < y.length; t++) {
    const mu = Math.exp(lambda) * factors[t]!
    ll += nbLogPmf(y[t]!, mu, p.size)
    lambda = updateLogLevel(lambda, y[t]!, mu, p)
  }
  return { logLik: ll, nextLogLevel: lambda }
}
