/**
 * Forward simulation by Ogata thinning (Ogata 1981), conditioned on the excitation the history leaves
 * at the origin. Between events the intensity only decays, so on [t, next hour) the current intensity
 * λ(t) = μ_k + αβ S(t) bounds it: propose w ~ Exp(λ(t)); past the hour boundary, move to the boundary
 * (memorylessness makes the restart exact); otherwise accept with probability λ(t+w)/λ(t) (a 32-bit uniform is ample for that comparison).
 *
 * S(t) = Σ_{t_j < t} e^{−β(t − t_j)} over history and simulated events alike.
 */
import { HOUR_MS } from "../../time"
import type { Rng } from "../../random"

/** S at the origin: Σ_{t_i < origin} e^{−β (origin − t_i)} (β per hour, times in epoch ms, ascending). */
export const excitationAt = (eventTimesMs: ArrayLike<number>, originMs: number, beta: number): number => {
  let s = 0
  for (let i = eventTimesMs.length - 1; i >= 0; i--) {
    const t = eventTimesMs[i]!
    if (t >= originMs) continue
    const x = (beta * (originMs - t)) / HOUR_MS
    if (x > 745) break // e^{−745} underflows to 0; earlier events only add zeros
    s += Math.exp(-x)
  }
  return s
}

/** Bad inputs would make the thinning loop spin forever (NaN times never reach the hour boundary). */
const checkSimulationInputs = (mu: Float64Array, alpha: number, beta: number, s0: number): void => {
  if (!mu.every((m) => m >= 0 && Number.isFinite(m))) throw new RangeError("baseline rates must be finite and >= 0")
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`alpha must be in [0,1), got ${alpha}`)
  if (!(beta > 0 && Number.isFinite(beta))) throw new RangeError(`beta must be finite and > 0, got ${beta}`)
  if (!(s0 >= 0 && Number.isFinite(s0))) throw new RangeError(`history excitation must be finite and >= 0, got ${s0}`)
}

/**
 * Hourly counts of `paths` simulated futures, row-major (path p, hour k at p·H + k), H = mu.length.
 * `mu[k]` is the baseline rate over hour k of the horizon; `s0` the excitation sum at the origin.
 */
export const simulateHourlyCounts = (
  mu: Float64Array,
  alpha: number,
  beta: number,
  s0: number,
  paths: number,
  rng: Rng
): Float64Array => {
  checkSimulationInputs(mu, alpha, beta, s0)
  const H = mu.length
  const out = new Float64Array(paths * H)
  const ab = alpha * beta
  const decayHour = Math.exp(-beta)
  for (let p = 0; p < paths; p++) {
    let S = s0
    const row = p * H
    for (let k = 0; k < H; k++) {
      const m = mu[k]!
      let t = 0 // time inside the hour, in [0, 1)
      let count = 0
      while (true) {
        const bound = m + ab * S
        const w = rng.exponential() / bound // Infinity when bound = 0: no event this hour
        if (t + w >= 1) {
          S *= t === 0 ? decayHour : Math.exp(-beta * (1 - t))
          break
        }
        t += w
        S *= Math.exp(-beta * w)
        if (rng.uniform32() * bound <= m + ab * S) {
          S += 1
          count++
        }
      }
      out[row + k] = count
    }
  }
  return out
}

/**
 * One simulated path as event times (hours since the origin) on [0, mu.length), by the same thinning
 * steps and the same order of random draws as `simulateHourlyCounts`: with equal seeds, bucketing these
 * times gives that function's first path. Used to generate synthetic data with known parameters.
 */
export const simulateEventTimes = (mu: Float64Array, alpha: number, beta: number, s0: number, rng: Rng): Float64Array => {
  checkSimulationInputs(mu, alpha, beta, s0)
  const out: number[] = []
  const ab = alpha * beta
  let S = s0
  for (let k = 0; k < mu.length; k++) {
    const m = mu[k]!
    let t = 0
    while (true) {
      const bound = m + ab * S
      const w = rng.exponential() / bound
      if (t + w >= 1) {
        S *= Math.exp(-beta * (1 - t))
        break
      }
      t += w
      S *= Math.exp(-beta * w)
      if (rng.uniform32() * bound <= m + ab * S) {
        S += 1
        // k + t can round up to k + 1 when t is within an ulp of 1; keep the event in its hour.
        out.push(Math.min(k + t, k + 1 - (k + 1) * Number.EPSILON))
      }
    }
  }
  return Float64Array.from(out)
}
