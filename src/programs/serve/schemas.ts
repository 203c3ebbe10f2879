/**
 * The read-only HTTP API's response bodies, defined once with effect/Schema (docs/api.md is written
 * from them): every handler encodes its answer through these, so the documented shape is the served one.
 */
import { Schema } from "effect"

export const Health = Schema.Struct({ status: Schema.Literal("ok") })

export const ReadyCheck = Schema.Struct({ name: Schema.String, ok: Schema.Boolean, detail: Schema.String })
export const Ready = Schema.Struct({ ready: Schema.Boolean, checks: Schema.Array(ReadyCheck) })

export const CountRow = Schema.Struct({ start: Schema.String, count: Schema.Int })
export const Counts = Schema.Struct({
  account: Schema.String,
  granularity: Schema.Literal("hour", "day"),
  count: Schema.Array(Schema.String),
  rows: Schema.Array(CountRow)
})

export const Quantile = Schema.Struct({ level: Schema.Number, value: Schema.Number })
export const Score = Schema.Struct({ actual: Schema.Int, crps: Schema.Number, pit: Schema.Number, scored_at: Schema.String })

export const ForecastSummary = Schema.Struct({
  id: Schema.String,
  account: Schema.String,
  model: Schema.String,
  issued_at: Schema.String,
  origin: Schema.String,
  window: Schema.Struct({ start: Schema.String, end: Schema.String }),
  watermark: Schema.String,
  observed: Schema.Int,
  total: Schema.Struct({ mean: Schema.Number, quantiles: Schema.Array(Quantile) }),
  /** `forecast --calibrate`: the backtest whose PITs mapped the window total, the issue offset and how many weeks. */
  calibration: Schema.NullOr(Schema.Struct({ backtest_id: Schema.String, at_days: Schema.Int, windows: Schema.Int })),
  score: Schema.NullOr(Score)
})
export const ForecastList = Schema.Struct({ forecasts: Schema.Array(ForecastSummary) })

export const ForecastDetail = Schema.Struct({
  ...ForecastSummary.fields,
  requested: Schema.String,
  members: Schema.Array(Schema.Struct({ kind: Schema.String, model_id: Schema.String, weight: Schema.Number })),
  seed: Schema.Int,
  paths: Schema.Int,
  hourly: Schema.Array(Schema.Struct({ start: Schema.String, mean: Schema.Number, q10: Schema.Number, q50: Schema.Number, q90: Schema.Number })),
  brackets: Schema.Array(Schema.Struct({ label: Schema.String, lo: Schema.Int, hi: Schema.NullOr(Schema.Int), probability: Schema.Number })),
  notes: Schema.Array(Schema.String)
})

export const BacktestModel = Schema.Struct({
  model: Schema.String,
  origins: Schema.Int,
  crps_week: Schema.Number,
  mae_week: Schema.Number,
  cover80_week: Schema.Number,
  crps_week_at_1d: Schema.NullOr(Schema.Number),
  crps_week_at_3d: Schema.NullOr(Schema.Number),
  crps_week_at_5d: Schema.NullOr(Schema.Number)
})
export const BacktestLatest = Schema.Struct({
  id: Schema.String,
  account: Schema.String,
  completed_at: Schema.NullOr(Schema.String),
  origins: Schema.Array(Schema.String),
  models: Schema.Array(BacktestModel)
})

/** RFC 9457 problem details: every 4xx/5xx body. */
export const Problem = Schema.Struct({ type: Schema.String, title: Schema.String, status: Schema.Int, detail: Schema.String })
