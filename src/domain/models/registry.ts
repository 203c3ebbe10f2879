/**
 * Every model kind with its implementation, default spec and history needs: the one place programs
 * (train, backtest, forecast, reproduce) look models up.
 */
import { PoissonSeasonal, poissonSeasonalMean, SeasonalNaive, seasonalNaivePoint } from "./baselines/index"
import type { PoissonSeasonalFitted } from "./baselines/poisson-seasonal"
import { hawkesModel } from "./hawkes/index"
import type { HawkesSpec } from "./hawkes/types"
import type { CountModel, FittedModel, ModelInputs, ModelKind } from "./model"
import { negativeBinomialModel, WARMUP_HOURS } from "./negative-binomial/index"
import type { NbSpec } from "./negative-binomial/types"
import { defaultSarimaxSpec, sarimaxModel, type SarimaxSpec } from "./sarimax/index"
import { EWMA_HISTORY_DAYS, ewmaLevelModel, LEVEL_WARMUP_DAYS, MIN_RATIOS } from "./ewma-level/index"
import { LEVEL_HISTORY_DAYS, MIN_LEVEL_BLOCKS, nbLocalLevelModel } from "./nb-local-level/index"

export interface ModelEntry {
  readonly kind: ModelKind
  readonly model: CountModel<any, any>
  /** The spec used for a training window of `trainHours` hours (what `train` records in ModelFitted). */
  readonly specFor: (trainHours: number) => Record<string, unknown>
  /** Hours of history the inputs must hold before the training window (lag warm-up). */
  readonly warmupHours: number
  readonly description: string
  /**
   * The exact predictive mean per forecast hour, for models with a closed form (the baselines): point
   * metrics then use it instead of the Monte Carlo mean, so they do not depend on the seed.
   */
  readonly exactMean?: (fitted: FittedModel, inputs: ModelInputs, hours: number) => Float64Array
  /**
   * Models with a long memory of their own (the level models) ignore the training window: their inputs
   * hold as much of the record as exists before the origin, up to `maxHours`, and at least `minHours`.
   */
  readonly history?: { readonly maxHours: number; readonly minHours: number }
}

/**
 * Hours of as-of history a model's inputs hold at an origin: the training window plus its warm-up, or
 * for models with a `history` rule, the record before the origin clamped to it (`recordHours`: hours
 * the tweet record covers before the origin). Below the model's minimum the caller's as-of check fails.
 */
export const inputWindowHours = (entry: ModelEntry, trainHours: number, recordHours: number): number =>
  entry.history === undefined ? trainHours + entry.warmupHours : Math.max(entry.history.minHours, Math.min(entry.history.maxHours, recordHours))

export const MODEL_REGISTRY: Readonly<Record<ModelKind, ModelEntry>> = {
  negative_binomial: {
    kind: "negative_binomial",
    model: negativeBinomialModel,
    specFor: (trainHours): NbSpec & Record<string, unknown> => ({ trainHours }),
    warmupHours: WARMUP_HOURS,
    description: "NB2 regression on hour/day dummies and lagged counts, recursive simulation"
  },
  hawkes: {
    kind: "hawkes",
    model: hawkesModel,
    specFor: (trainHours): HawkesSpec & Record<string, unknown> => ({ baseline: "hour_of_day", windowHours: trainHours }),
    warmupHours: 0,
    description: "self-exciting point process, hour-of-day baseline, exponential kernel"
  },
  sarimax: {
    kind: "sarimax",
    model: sarimaxModel,
    specFor: (trainHours): SarimaxSpec & Record<string, unknown> => ({ ...defaultSarimaxSpec, windowHours: trainHours }),
    warmupHours: 0,
    description: "SARIMAX(1,0,1)(1,0,1,24) on log1p counts with weekly Fourier terms"
  },
  seasonal_naive: {
    kind: "seasonal_naive",
    model: SeasonalNaive,
    specFor: () => ({}),
    warmupHours: 0,
    description: "same hour one week earlier, week-level Poisson-Gamma spread",
    exactMean: (_fitted, inputs, hours) => seasonalNaivePoint(inputs.hourly.counts, hours)
  },
  poisson_seasonal: {
    kind: "poisson_seasonal",
    model: PoissonSeasonal,
    specFor: () => ({}),
    warmupHours: 0,
    description: "hour-of-week mean over the training window, Poisson",
    exactMean: (fitted, inputs, hours) => poissonSeasonalMean(fitted as PoissonSeasonalFitted, inputs.origin, hours)
  },
  ewma_level: {
    kind: "ewma_level",
    model: ewmaLevelModel,
    specFor: () => ({}),
    warmupHours: 0,
    description: "EWMA of daily counts (half-life 7 d) x its own past log errors at the same horizon (PROTOCOL.md's reference point)",
    history: { maxHours: EWMA_HISTORY_DAYS * 24, minHours: (LEVEL_WARMUP_DAYS + MIN_RATIOS + 8) * 24 }
  },
  nb_local_level: {
    kind: "nb_local_level",
    model: nbLocalLevelModel,
    specFor: () => ({}),
    warmupHours: 0,
    description: "score-driven negative binomial local level on daily blocks (exact ML), hour-of-week profile",
    history: { maxHours: LEVEL_HISTORY_DAYS * 24, minHours: MIN_LEVEL_BLOCKS * 24 }
  }
}

export const modelEntry = (kind: ModelKind): ModelEntry => MODEL_REGISTRY[kind]
