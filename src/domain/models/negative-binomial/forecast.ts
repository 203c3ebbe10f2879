/** CountModel.forecast for NB2: recursive simulation from the last 168 hours before the origin. */
import { Rng } from "../../random"
import { assertInputs, type ForecastOptions, type ModelInputs, type SamplePaths } from "../model"
import { EXOG_COLUMN } from "./design"
import { choleskyFactor } from "./linalg"
import { simulateNb } from "./simulate"
import type { NbFitted } from "./types"

/** Lower Cholesky factor of Cov(β̂) over the estimated columns (dropped columns get zero rows). */
export const betaCovFactor = (fitted: NbFitted): Float64Array => {
  const { columns, covBeta } = fitted.params
  const p = columns.length
  if (covBeta === null) throw new RangeError("parameter uncertainty needs Cov(beta), which this fit could not provide")
  const kept = columns.map((_, j) => j).filter((j) => covBeta[j * p + j]! > 0)
  const q = kept.length
  const sub = new Float64Array(q * q)
  kept.forEach((j, a) => kept.forEach((k, b) => (sub[a * q + b] = covBeta[j * p + k]!)))
  const Lq = choleskyFactor(sub, q)
  if (Lq === undefined) throw new RangeError("Cov(beta) is not positive definite")
  const L = new Float64Array(p * p)
  kept.forEach((j, a) => kept.forEach((k, b) => (L[j * p + k] = Lq[a * q + b]!)))
  return L
}

export const forecastNb = (fitted: NbFitted, inputs: ModelInputs, horizonHours: number, options: ForecastOptions): SamplePaths => {
  assertInputs(inputs)
  const { columns, beta, alpha, parameterUncertainty } = fitted.params
  let exogenous: Float64Array | undefined
  if (columns.includes(EXOG_COLUMN)) {
    // ModelInputs.exogenous is aligned with hourly.start; the horizon starts at the origin.
    const from = inputs.hourly.counts.length
    exogenous = new Float64Array(horizonHours)
    for (let h = 0; h < horizonHours; h++) exogenous[h] = inputs.exogenous?.[from + h] ?? 0
  }
  return simulateNb({
    beta,
    alpha,
    history: inputs.hourly.counts,
    origin: inputs.origin,
    hours: horizonHours,
    paths: options.paths,
    rng: Rng.seeded(options.seed),
    ...(exogenous !== undefined ? { exogenous } : {}),
    ...(parameterUncertainty ? { betaCovFactor: betaCovFactor(fitted) } : {})
  }).samples
}
