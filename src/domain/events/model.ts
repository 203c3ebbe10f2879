/**
 * `ModelFitted`: a model was fitted on a training window. Stream `model-<modelId>`.
 * It carries everything needed to use or audit the fit later: kind, spec, training window, the log
 * position the data were read up to (watermark), which tweet kinds were counted, the parameters and
 * diagnostics as the model returned them, and the code version (in metadata).
 */
import { Schema } from "effect"
import { defineEvent } from "./codec"
import { UtcInstant } from "./instant"
import { ModelKindSchema, PositionString } from "./backtest"

export const MODEL_CATEGORY = "model"
export const modelStream = (modelId: string): string => `${MODEL_CATEGORY}-${modelId}`

export const TweetKindsSchema = Schema.Array(Schema.Literal("post", "reply", "quote", "retweet")).pipe(Schema.minItems(1))

export const ModelFittedData = Schema.Struct({
  modelId: Schema.UUID,
  /** The account whose tweets it read (absent in events recorded before accounts were keyed: @elonmusk). */
  account: Schema.optional(Schema.NonEmptyTrimmedString),
  kind: ModelKindSchema,
  /** The spec the model was fitted with (JSON). */
  spec: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  /** Training window [start, end): end is the origin the fit is as of. */
  trainStart: UtcInstant,
  trainEnd: UtcInstant,
  /** Hours of inputs before trainStart used as lag warm-up. */
  warmupHours: Schema.Int.pipe(Schema.nonNegative()),
  /** `8w` or `since-regime`. */
  trainWindow: Schema.String,
  /** Last global log position the fit read. */
  watermark: PositionString,
  /** Kinds of tweets counted. */
  countKinds: TweetKindsSchema,
  params: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  diagnostics: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  /** Backtest that preceded the fit, if any. */
  backtestId: Schema.optional(Schema.UUID),
  fitSeconds: Schema.Finite.pipe(Schema.nonNegative())
})
export type ModelFittedData = typeof ModelFittedData.Type

export const ModelFitted = defineEvent("ModelFitted", 1, ModelFittedData, {
  stream: (d) => modelStream(d.modelId),
  naturalKey: (d) => `model-fitted:${d.modelId}`
})
