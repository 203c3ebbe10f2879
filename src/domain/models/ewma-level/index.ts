/**
 * `ewma_level`: the reference point of ../shared/PROTOCOL.md as a model, the bar every model must clear
 * (docs/models/level.md).
 *
 * Level: the exponentially weighted mean of the daily blocks before the issue time (half-life 7 days).
 * Window total over H hours: (H/24) · level · exp(r), with r drawn uniformly from the empirical log
 * ratios log(actual H-hour count from s / ((H/24) · level at s)) over the RATIO_DAYS daily starts s
 * before the issue time whose H hours ended by then: the model's own past errors at the same horizon,
 * all known at the issue time. Hourly paths: the total (rounded stochastically, so its mean is kept)
 * spread over the hours by the hour-of-week profile (src/domain/models/level/profile.ts).
 *
 * Nothing is estimated by optimisation, so `fit` only checks the history and records the level; the
 * forecast recomputes everything from its own as-of inputs (a forecast issued later than the fit uses
 * the data known at its own issue time).
 */
import { Rng } from "../../random"
import { HOUR_MS, toIsoUtc } from "../../time"
import { assertInputs, ModelFitError, type CountModel, type FittedModel, type ModelInputs, type SamplePaths } from "../model"
import { BLOCK_HOURS, dailyBlocks } from "../level/blocks"
import { hourOfWeekProfile, spreadOverHours } from "../level/profile"

export const EWMA_HALF_LIFE_DAYS = 7
/** Daily starts whose ratios form the error distribution: the 52 weeks before the issue time. */
export const RATIO_DAYS = 364
/** Days of history before a ratio's start that its level must rest on (weight of older days < 6%). */
export const LEVEL_WARMUP_DAYS = 28
/** Fewest ratios a forecast accepts: four weeks of past errors. */
export const MIN_RATIOS = 28
/** History the model asks for: the ratio year, the warm-up of its first level and a week of horizon. */
export const EWMA_HISTORY_DAYS = RATIO_DAYS + LEVEL_WARMUP_DAYS + 7

export interface EwmaLevelSpec {
  readonly halfLifeDays?: number
}

export interface EwmaLevelFitted extends FittedModel {
  readonly kind: "ewma_level"
  readonly params: { readonly halfLifeDays: number; readonly ratioDays: number; readonly level: number }
  readonly diagnostics: { readonly blocks: number; readonly trainStart: string; readonly trainEnd: string }
}

/** levels[t] = EW mean of blocks[0..t-1] with discount 0.5^(1/halfLife); levels[0] = NaN. */
export const ewmaLevels = (blocks: ArrayLike<number>, halfLifeDays: number): Float64Array => {
  const a = Math.pow(0.5, 1 / halfLifeDays)
  const out = new Float64Array(blocks.length + 1)
  out[0] = Number.NaN
  let num = 0
  let den = 0
  for (let t = 0; t < blocks.length; t++) {
    num = a * num + blocks[t]!
    den = a * den + 1
    out[t + 1] = num / den
  }
  return out
}

/**
 * Log ratios actual / expected for H-hour windows starting at the daily block boundaries of the last
 * RATIO_DAYS days whose window ended by the end of `hourly` (each level with LEVEL_WARMUP_DAYS behind it).
 */
export const pastLogRatios = (counts: ArrayLike<number>, levels: ArrayLike<number>, blocks: number, horizonHours: number): number[] => {
  const first = counts.length - blocks * BLOCK_HOURS
  const out: number[] = []
  const days = horizonHours / BLOCK_HOURS
  for (let j = Math.ceil(horizonHours / BLOCK_HOURS); j <= RATIO_DAYS; j++) {
    const s = blocks - j
    if (s < LEVEL_WARMUP_DAYS) break
    if (!(levels[s]! > 0)) continue // no tweet in the history behind it: no ratio to learn from
    const from = first + s * BLOCK_HOURS
    let actual = 0
    for (let h = from; h < from + horizonHours; h++) actual += counts[h]!
    out.push(Math.log(actual / (days * levels[s]!)))
  }
  return out
}

const history = (inputs: ModelInputs, halfLifeDays: number) => {
  const blocks = dailyBlocks(inputs.hourly)
  if (blocks.length < LEVEL_WARMUP_DAYS + MIN_RATIOS + 1)
    throw new ModelFitError({
      model: "ewma_level",
      reason: `needs at least ${LEVEL_WARMUP_DAYS + MIN_RATIOS + 1} days of history before ${toIsoUtc(inputs.origin)}, got ${blocks.length}`
    })
  return { blocks, levels: ewmaLevels(blocks, halfLifeDays) }
}

export const fitEwmaLevel = (inputs: ModelInputs, spec: EwmaLevelSpec = {}): EwmaLevelFitted => {
  assertInputs(inputs)
  const halfLifeDays = spec.halfLifeDays ?? EWMA_HALF_LIFE_DAYS
  if (!(halfLifeDays > 0)) throw new RangeError(`halfLifeDays must be positive, got ${halfLifeDays}`)
  const { blocks, levels } = history(inputs, halfLifeDays)
  const level = levels[blocks.length]!
  if (!(level > 0)) throw new ModelFitError({ model: "ewma_level", reason: `the level before ${toIsoUtc(inputs.origin)} is ${level}: no tweets in the history` })
  return {
    kind: "ewma_level",
    params: { halfLifeDays, ratioDays: RATIO_DAYS, level },
    diagnostics: { blocks: blocks.length, trainStart: toIsoUtc(inputs.origin - blocks.length * BLOCK_HOURS * HOUR_MS), trainEnd: toIsoUtc(inputs.origin) }
  }
}

export const forecastEwmaLevel = (fitted: EwmaLevelFitted, inputs: ModelInputs, horizonHours: number, options: { paths: number; seed: number }): SamplePaths => {
  assertInputs(inputs)
  const { blocks, levels } = history(inputs, fitted.params.halfLifeDays)
  const level = levels[blocks.length]!
  const ratios = pastLogRatios(inputs.hourly.counts, levels, blocks.length, horizonHours)
  if (ratios.length < MIN_RATIOS)
    throw new ModelFitError({
      model: "ewma_level",
      reason: `only ${ratios.length} past ${horizonHours} h windows end before ${toIsoUtc(inputs.origin)} (needs ${MIN_RATIOS}): too little history for this horizon`
    })
  const profile = hourOfWeekProfile(inputs.hourly)
  const rng = Rng.seeded(options.seed)
  const values = new Float64Array(options.paths * horizonHours)
  const cumulative = new Float64Array(horizonHours)
  const expected = (horizonHours / BLOCK_HOURS) * level
  for (let p = 0; p < options.paths; p++) {
    const x = expected * Math.exp(ratios[rng.int(ratios.length)]!)
    const total = Math.floor(x + rng.uniform())
    spreadOverHours(total, profile, inputs.origin, horizonHours, rng, values, p * horizonHours, cumulative)
  }
  return { origin: inputs.origin, hours: horizonHours, paths: options.paths, values }
}

export const ewmaLevelModel: CountModel<EwmaLevelSpec, EwmaLevelFitted> = {
  kind: "ewma_level",
  fit: fitEwmaLevel,
  forecast: forecastEwmaLevel
}
