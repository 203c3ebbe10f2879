/**
 * Poisson hour-of-week profile: λ_w = mean count of hour-of-week w (Monday 00:00 UTC = 0) over the
 * training window; forecast hours are independent Poisson(λ_{w(t)}). It ignores recent level and
 * overdispersion on purpose: it is the "climatology" every model should beat.
 */
import { Rng } from "../../random"
import { HOUR_MS, hourOfWeek, toIsoUtc } from "../../time"
import { assertInputs, ModelFitError, type CountModel, type FittedModel, type ModelInputs, type SamplePaths } from "../model"

export type PoissonSeasonalSpec = Record<string, never>

export interface PoissonSeasonalFitted extends FittedModel {
  readonly kind: "poisson_seasonal"
  readonly params: {
    /** λ for hour-of-week 0..167 (Monday 00:00 UTC first). */
    readonly rates: ReadonlyArray<number>
  }
  readonly diagnostics: {
    readonly trainHours: number
    readonly trainStart: string
    readonly trainEnd: string
    /** Mean of the 168 rates (posts per hour). */
    readonly meanRate: number
    /** Pearson χ²/(n − 168): ≈ 1 under the Poisson assumption, larger when the data are overdispersed. */
    readonly pearsonDispersion: number | null
  }
}

const fit = (inputs: ModelInputs, _spec: PoissonSeasonalSpec): PoissonSeasonalFitted => {
  assertInputs(inputs)
  const { start, counts } = inputs.hourly
  if (counts.length < 168) {
    throw new ModelFitError({ model: "poisson_seasonal", reason: `needs at least one week (168 h) so every hour of week is seen, got ${counts.length} h` })
  }
  const sums = new Float64Array(168)
  const seen = new Float64Array(168)
  const startHow = hourOfWeek(start)
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!
    if (!(c >= 0) || !Number.isFinite(c)) throw new ModelFitError({ model: "poisson_seasonal", reason: `hour ${i} has an invalid count ${c}` })
    const w = (startHow + i) % 168
    sums[w]! += c
    seen[w]! += 1
  }
  const rates = Array.from(sums, (s, w) => s / seen[w]!)
  let chi2 = 0
  for (let i = 0; i < counts.length; i++) {
    const lam = rates[(startHow + i) % 168]!
    if (lam > 0) chi2 += (counts[i]! - lam) ** 2 / lam
  }
  const df = counts.length - 168
  return {
    kind: "poisson_seasonal",
    params: { rates },
    diagnostics: {
      trainHours: counts.length,
      trainStart: toIsoUtc(start),
      trainEnd: toIsoUtc(inputs.origin),
      meanRate: rates.reduce((a, b) => a + b, 0) / 168,
      pearsonDispersion: df > 0 ? chi2 / df : null
    }
  }
}

const forecast = (fitted: PoissonSeasonalFitted, inputs: ModelInputs, horizonHours: number, options: { paths: number; seed: number }): SamplePaths => {
  assertInputs(inputs)
  if (!(Number.isInteger(horizonHours) && horizonHours > 0)) throw new RangeError(`horizonHours must be a positive integer, got ${horizonHours}`)
  if (!(Number.isInteger(options.paths) && options.paths > 0)) throw new RangeError(`paths must be a positive integer, got ${options.paths}`)
  const rates = fitted.params.rates
  if (rates.length !== 168) throw new RangeError(`poisson_seasonal needs 168 rates, got ${rates.length}`)
  const hourRates = new Float64Array(horizonHours)
  const how0 = hourOfWeek(inputs.origin)
  for (let h = 0; h < horizonHours; h++) hourRates[h] = rates[(how0 + h) % 168]!
  const rng = Rng.seeded(options.seed)
  const values = new Float64Array(options.paths * horizonHours)
  for (let p = 0; p < options.paths; p++) {
    const row = p * horizonHours
    for (let h = 0; h < horizonHours; h++) values[row + h] = rng.poisson(hourRates[h]!)
  }
  return { origin: inputs.origin, hours: horizonHours, paths: options.paths, values }
}

export const PoissonSeasonal: CountModel<PoissonSeasonalSpec, PoissonSeasonalFitted> = {
  kind: "poisson_seasonal",
  fit,
  forecast
}

/** Exact predictive mean per forecast hour (for tests and for callers that want it without sampling). */
export const poissonSeasonalMean = (fitted: PoissonSeasonalFitted, origin: number, horizonHours: number): Float64Array => {
  const out = new Float64Array(horizonHours)
  for (let h = 0; h < horizonHours; h++) out[h] = fitted.params.rates[hourOfWeek(origin + h * HOUR_MS)]!
  return out
}
