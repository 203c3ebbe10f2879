/**
 * Forecast events, stream `forecast-<forecastId>`:
 *  - `ForecastIssued`: a forecast and everything needed to recompute it — the model(s) used (each by
 *    the id of its ModelFitted, with its weight, seed, number of paths and a fingerprint of its as-of
 *    inputs), the ensemble weight fit (backtest id, origins, fitted weights) when pooled, the origin, the
 *    window (and horizon), the watermark (last global log position whose facts the inputs contain), the
 *    counted tweet kinds, the seed and number of paths, the code version — and the result: hourly fan,
 *    24-hour blocks, the distribution of the window total (observed + remaining, and the remaining part
 *    alone), bracket probabilities on request, and the remaining total of every path (compactly) so the
 *    forecast can be scored exactly later.
 *  - `ForecastScored`: the window has ended; the actual total and its scores (CRPS, log score, PIT,
 *    inside the central 50/80/95% intervals). At most one per forecast (natural-key id).
 * `forecastId` is a random UUID (a forecast is issued at some moment; it has no natural key).
 */
import { Schema } from "effect"
import { TotalQuantileSchema, ModelKindSchema, PositionString } from "./backtest"
import { defineEvent } from "./codec"
import { UtcInstant } from "./instant"
import { TweetKindsSchema } from "./model"

export const FORECAST_CATEGORY = "forecast"
export const forecastStream = (forecastId: string): string => `${FORECAST_CATEGORY}-${forecastId}`

export const ForecastModelSchema = Schema.Union(ModelKindSchema, Schema.Literal("ensemble"))
export const RequestedModelSchema = Schema.Union(ModelKindSchema, Schema.Literal("ensemble", "best"))

const NonNegative = Schema.Finite.pipe(Schema.nonNegative())
const Count = Schema.Int.pipe(Schema.nonNegative())
const Weight = Schema.Number.pipe(Schema.between(0, 1))

export const ForecastMemberSchema = Schema.Struct({
  kind: ModelKindSchema,
  /** The ModelFitted (stream `model-<modelId>`) whose parameters were used. */
  modelId: Schema.UUID,
  /** Weight in the pool (1 for a single model). */
  weight: Weight,
  /** Seed of this member's simulation. */
  seed: Schema.Int,
  /** Paths this member simulated (assigned by the pool; all of them for a single model). */
  paths: Count,
  /** True when this forecast's run fitted the model (and appended that ModelFitted) first. */
  refitted: Schema.Boolean,
  /** Hash of the fit's spec (canonical JSON). */
  specHash: Schema.String,
  /** The as-of inputs the member was run on: hours [start, origin), tweets inside, and their fingerprint. */
  inputs: Schema.Struct({
    start: UtcInstant,
    hours: Schema.Int.pipe(Schema.positive()),
    tweets: Count,
    /** Hours of [start, window end) with a non-zero exogenous intensity known at the origin. */
    exogenousHours: Count,
    hash: Schema.String
  })
})
export type ForecastMember = typeof ForecastMemberSchema.Type

export const EnsembleFitSchema = Schema.Struct({
  /** The backtest whose windows the weights were fitted on. */
  backtestId: Schema.UUID,
  /** Origins used (every candidate evaluated at each), ascending. */
  origins: Schema.Array(UtcInstant).pipe(Schema.minItems(1)),
  /** Models the weights were fitted over, in order. */
  candidates: Schema.Array(ModelKindSchema).pipe(Schema.minItems(1)),
  /** The CRPS-optimal weights per candidate (before dropping small ones). */
  fittedWeights: Schema.Array(Weight),
  /** Weights below this were dropped and the rest renormalised (the members' weights). */
  minWeight: Weight,
  /** Mean week-total CRPS over the origins: of the pool at the fitted weights, and of each candidate alone. */
  meanCrps: NonNegative,
  candidateCrps: Schema.Array(NonNegative)
})
export type EnsembleFit = typeof EnsembleFitSchema.Type

export const DistributionSchema = Schema.Struct({
  mean: Schema.Finite,
  /** At TOTAL_QUANTILES (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95). */
  quantiles: Schema.Array(TotalQuantileSchema)
})

export const BracketResultSchema = Schema.Struct({
  label: Schema.String,
  lo: Count,
  /** Inclusive; null for the open last bracket. */
  hi: Schema.NullOr(Count),
  count: Count,
  probability: Schema.Number.pipe(Schema.between(0, 1))
})

export const ForecastResultSchema = Schema.Struct({
  /** Count already observed in [window start, origin) (0 when the window starts at or after the origin). */
  observed: Schema.Struct({ count: Count, hours: Count }),
  /** Hourly fan over the simulated hours of the window, from `start`. */
  hourly: Schema.Struct({
    start: UtcInstant,
    mean: Schema.Array(Schema.Finite),
    q10: Schema.Array(Schema.Finite),
    q50: Schema.Array(Schema.Finite),
    q90: Schema.Array(Schema.Finite)
  }),
  /** 24-hour blocks from the window start: observed part and total (mean, 10/50/90%). */
  days: Schema.Array(
    Schema.Struct({ start: UtcInstant, end: UtcInstant, observed: Count, mean: Schema.Finite, q10: Schema.Finite, q50: Schema.Finite, q90: Schema.Finite })
  ),
  /** The window total: observed + remaining. */
  total: DistributionSchema,
  /** The simulated remaining part alone. */
  remaining: DistributionSchema,
  brackets: Schema.optional(Schema.Array(BracketResultSchema)),
  /** Remaining total of every path: distinct values ascending and their multiplicities. */
  sample: Schema.Struct({ values: Schema.Array(Schema.Finite), counts: Schema.Array(Schema.Int.pipe(Schema.positive())) })
})
export type ForecastResult = typeof ForecastResultSchema.Type

export const ForecastIssuedData = Schema.Struct({
  forecastId: Schema.UUID,
  /** The account whose tweets it read (absent in events recorded before accounts were keyed: @elonmusk). */
  account: Schema.optional(Schema.NonEmptyTrimmedString),
  /** What was run: one model kind, or `ensemble`. */
  model: ForecastModelSchema,
  /** What was asked for (`best` resolves to a kind). */
  requested: RequestedModelSchema,
  members: Schema.Array(ForecastMemberSchema).pipe(Schema.minItems(1)),
  ensemble: Schema.optional(EnsembleFitSchema),
  /** First simulated hour: everything before it is as-of input, nothing after it is. */
  origin: UtcInstant,
  /** The counted window [start, end). */
  window: Schema.Struct({ start: UtcInstant, end: UtcInstant }),
  /** Set when the window was given as a horizon from the origin (e.g. `7d`). */
  horizon: Schema.optional(Schema.String),
  /** Last global log position whose facts the inputs contain. */
  watermark: PositionString,
  countKinds: TweetKindsSchema,
  seed: Schema.Int,
  paths: Schema.Int.pipe(Schema.positive()),
  /** Hash of the shared feature spec, for models that use one (none of the current models does). */
  featureSpecHash: Schema.optional(Schema.String),
  /** Code version that computed it (also in the metadata). */
  codeVersion: Schema.String,
  result: ForecastResultSchema,
  /**
   * `--calibrate`: the window total recalibrated from the model's PITs in this backtest, at this issue
   * offset (0: the week ahead; 1, 3, 5: days into the week), over `windows` earlier weeks.
   */
  calibration: Schema.optional(Schema.Struct({ backtestId: Schema.UUID, atDays: Schema.Literal(0, 1, 3, 5), windows: Schema.Int.pipe(Schema.positive()) })),
  /** What the run decided on the way (refits, fallbacks), as it printed them. */
  notes: Schema.Array(Schema.String)
})
export type ForecastIssuedData = typeof ForecastIssuedData.Type

export const ForecastScoredData = Schema.Struct({
  forecastId: Schema.UUID,
  /** Tweets of the forecast's kinds created in the window. */
  actual: Count,
  crps: NonNegative,
  /** −log p̂(actual) in nats under the smoothed sample pmf. */
  logScore: Schema.Finite,
  /** Randomised PIT of the actual under the forecast's total distribution. */
  pit: Schema.Number.pipe(Schema.between(0, 1)),
  inside50: Schema.Boolean,
  inside80: Schema.Boolean,
  inside95: Schema.Boolean,
  /** Last global log position read for the actuals. */
  watermark: PositionString
})
export type ForecastScoredData = typeof ForecastScoredData.Type

export const ForecastIssued = defineEvent("ForecastIssued", 1, ForecastIssuedData, {
  stream: (d) => forecastStream(d.forecastId),
  naturalKey: (d) => `forecast-issued:${d.forecastId}`
})

export const ForecastScored = defineEvent("ForecastScored", 1, ForecastScoredData, {
  stream: (d) => forecastStream(d.forecastId),
  naturalKey: (d) => `forecast-scored:${d.forecastId}`
})

export const forecastDefinitions = [ForecastIssued, ForecastScored] as const
