/**
 * `nb_local_level`: the score-driven negative binomial local level model (likelihood.ts) as a
 * `CountModel`. Fit: exact maximum likelihood of (α, k) on the daily blocks of up to LEVEL_HISTORY_DAYS
 * before the origin, by L-BFGS on (log α, log k) with central-difference gradients (two parameters,
 * an O(n) likelihood). Forecast: from the level filtered through the data known at the forecast's own
 * origin, each path draws the next block's count from the NB, updates the level with it, and so on
 * (so the spread of a multi-day total includes the level's own random walk); each block's count is
 * spread over its hours by the hour-of-week profile, and a partial last block keeps its first hours.
 */
import { minimizeLbfgs } from "../../optimize/lbfgs"
import { Rng } from "../../random"
import { HOUR_MS, toIsoUtc } from "../../time"
import { assertInputs, ModelFitError, type CountModel, type FittedModel, type ModelInputs, type SamplePaths } from "../model"
import { BLOCK_HOURS, blockStart, dailyBlocks } from "../level/blocks"
import { blockFactor, hourOfWeekProfile, spreadOverHours } from "../level/profile"
import { filterLevel, updateLogLevel, type LevelParams } from "./likelihood"

export * from "./likelihood"

/** History the model asks for (as much as exists, up to this): about 60 weeks. */
export const LEVEL_HISTORY_DAYS = 420
/** Fewest daily blocks it fits on. */
export const MIN_LEVEL_BLOCKS = 28
/** α is kept in (ALPHA_MIN, ALPHA_MAX): a larger step makes the level explode on one outlier. */
const ALPHA_MIN = 1e-4
const ALPHA_MAX = 2

export interface NbLocalLevelSpec {
  /** Use at most this many daily blocks before the origin (default: all the inputs hold). */
  readonly maxBlocks?: number
}

export interface NbLocalLevelFitted extends FittedModel {
  readonly kind: "nb_local_level"
  readonly params: LevelParams
  readonly diagnostics: {
    readonly blocks: number
    readonly logLik: number
    /** exp(λ) at the origin: the de-seasonalised daily level. */
    readonly level: number
    readonly iterations: number
    readonly converged: boolean
    readonly stopReason: string
    readonly trainStart: string
    readonly trainEnd: string
  }
}

const clampAlpha = (a: number): number => Math.min(ALPHA_MAX, Math.max(ALPHA_MIN, a))

/** Daily blocks and their day-of-week factors from the as-of inputs. */
export const levelData = (inputs: ModelInputs, maxBlocks?: number) => {
  const all = dailyBlocks(inputs.hourly)
  const n = maxBlocks === undefined ? all.length : Math.min(all.length, maxBlocks)
  const y = all.subarray(all.length - n)
  const profile = hourOfWeekProfile(inputs.hourly)
  const factors = new Float64Array(n)
  for (let b = 0; b < n; b++) factors[b] = blockFactor(profile, blockStart(inputs.hourly, n, b))
  return { y, factors, profile }
}

export const fitNbLocalLevel = (inputs: ModelInputs, spec: NbLocalLevelSpec = {}): NbLocalLevelFitted => {
  assertInputs(inputs)
  const { y, factors } = levelData(inputs, spec.maxBlocks)
  if (y.length < MIN_LEVEL_BLOCKS)
    throw new ModelFitError({ model: "nb_local_level", reason: `needs at least ${MIN_LEVEL_BLOCKS} days of history before ${toIsoUtc(inputs.origin)}, got ${y.length}` })
  const toParams = (x: ArrayLike<number>): LevelParams => ({ alpha: clampAlpha(Math.exp(x[0]!)), size: Math.exp(x[1]!) })
  const negLogLik = (x: ArrayLike<number>): number => -filterLevel(y, factors, toParams(x)).logLik / y.length
  const objective = (x: Float64Array, grad: Float64Array): number => {
    const f = negLogLik(x)
    const h = 1e-6
    for (let i = 0; i < 2; i++) {
      const xp = Float64Array.from(x)
      const xm = Float64Array.from(x)
      xp[i]! += h
      xm[i]! -= h
      grad[i] = (negLogLik(xp) - negLogLik(xm)) / (2 * h)
    }
    return f
  }
  // Start: a modest step and the size of a day-to-day NB with 30% noise.
  const result = minimizeLbfgs(objective, [Math.log(0.1), Math.log(10)], { gradTol: 1e-7, maxIterations: 200 })
  const params = toParams(result.x)
  const filtered = filterLevel(y, factors, params)
  if (!Number.isFinite(filtered.logLik) || !Number.isFinite(filtered.nextLogLevel))
    throw new ModelFitError({ model: "nb_local_level", reason: `the likelihood is not finite at α=${params.alpha}, k=${params.size} (${result.reason})` })
  return {
    kind: "nb_local_level",
    params,
    diagnostics: {
      blocks: y.length,
      logLik: filtered.logLik,
      level: Math.exp(filtered.nextLogLevel),
      iterations: result.iterations,
      converged: result.reason === "gradient-tolerance" || result.reason === "function-tolerance",
      stopReason: result.reason,
      trainStart: toIsoUtc(inputs.origin - y.length * BLOCK_HOURS * HOUR_MS),
      trainEnd: toIsoUtc(inputs.origin)
    }
  }
}

export const forecastNbLocalLevel = (
  fitted: NbLocalLevelFitted,
  inputs: ModelInputs,
  horizonHours: number,
  options: { paths: number; seed: number }
): SamplePaths => {
  assertInputs(inputs)
  const p = fitted.params
  const { y, factors, profile } = levelData(inputs)
  if (y.length < MIN_LEVEL_BLOCKS)
    throw new ModelFitError({ model: "nb_local_level", reason: `needs at least ${MIN_LEVEL_BLOCKS} days of history before ${toIsoUtc(inputs.origin)}, got ${y.length}` })
  const lambda0 = filterLevel(y, factors, p).nextLogLevel
  const blocks = Math.ceil(horizonHours / BLOCK_HOURS)
  const futureFactors = Array.from({ length: blocks }, (_, b) => blockFactor(profile, inputs.origin + b * BLOCK_HOURS * HOUR_MS))
  const rng = Rng.seeded(options.seed)
  const values = new Float64Array(options.paths * horizonHours)
  const cumulative = new Float64Array(BLOCK_HOURS)
  const dispersion = 1 / p.size
  // One 24 h block of hours to spread over, then the part of it inside the horizon is kept.
  const block = new Float64Array(BLOCK_HOURS)
  for (let path = 0; path < options.paths; path++) {
    let lambda = lambda0
    for (let b = 0; b < blocks; b++) {
      const mu = Math.exp(lambda) * futureFactors[b]!
      const count = rng.negativeBinomial(mu, dispersion)
      lambda = updateLogLevel(lambda, count, mu, p)
      const start = inputs.origin + b * BLOCK_HOURS * HOUR_MS
      const hours = Math.min(BLOCK_HOURS, horizonHours - b * BLOCK_HOURS)
      block.fill(0)
      spreadOverHours(count, profile, start, BLOCK_HOURS, rng, block, 0, cumulative)
      values.set(block.subarray(0, hours), path * horizonHours + b * BLOCK_HOURS)
    }
  }
  return { origin: inputs.origin, hours: horizonHours, paths: options.paths, values }
}

export const nbLocalLevelModel: CountModel<NbLocalLevelSpec, NbLocalLevelFitted> = {
  kind: "nb_local_level",
  fit: fitNbLocalLevel,
  forecast: forecastNbLocalLevel
}
