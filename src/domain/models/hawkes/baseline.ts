/**
 * The baseline μ(t) hour by hour: μ is piecewise constant on UTC hours, which makes its integral
 * (the compensator's baseline part) exact and lets simulation bound the intensity per hour.
 */
import { binOfHour, binsOf } from "./data"
import { binRates, hawkesLayout, packParams } from "./params"
import type { HawkesBaseline, HawkesParams } from "./types"

/**
 * μ for each of `hours` UTC hours from `startMs` (a UTC hour): the bin rate times exp(γ x_k), with
 * x_k = exogenous[exogenousOffset + k] (0 outside the array).
 */
export const hourlyBaseline = (
  baseline: HawkesBaseline,
  params: HawkesParams,
  startMs: number,
  hours: number,
  exogenous?: ArrayLike<number>,
  exogenousOffset = 0
): Float64Array => {
  const layout = hawkesLayout(baseline, exogenous !== undefined)
  const rates = new Float64Array(binsOf(baseline))
  binRates(layout, packParams(layout, params), rates)
  const b0 = binOfHour(baseline, startMs)
  const out = new Float64Array(hours)
  for (let k = 0; k < hours; k++) {
    let mu = rates[(b0 + k) % rates.length]!
    if (exogenous !== undefined && params.gamma !== 0) {
      const j = exogenousOffset + k
      const x = j >= 0 && j < exogenous.length ? exogenous[j]! : 0
      if (x !== 0) mu *= Math.exp(params.gamma * x)
    }
    out[k] = mu
  }
  return out
}
