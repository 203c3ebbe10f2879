/**
 * The SQL tables as TypeScript types: one `ReadModels` interface that the projections' writes
 * (src/projections/write.ts), the queries (src/projections/queries) and the SQL handle
 * (`Kysely<Database>`, src/adapters/sql/database.ts) are checked against. The migrations
 * (src/adapters/sql/migrations) create these tables; a test compares each interface here with the
 * columns the migrated schema really has, so the two cannot drift apart.
 *
 * Column types are Kysely `ColumnType<read, write, update>`: what a query reads back (pg returns
 * numeric as text and timestamptz as Date) and what a projection writes (timestamps as UTC ISO text,
 * jsonb as JSON text, log positions as bigint).
 */
import type { ColumnType } from "kysely"
import type { NOWCAST_SUMMARY_KEYS } from "../../domain/events/backtest"
import type { PROTOCOL_AVERAGE_KEYS, ProtocolAverages, WINDOW_METRIC_KEYS, WindowMetrics } from "../../domain/metrics/evaluate"

/** numeric(40,0): a global log position (read back as text by pg, as a number by PGlite). */
export type Position = ColumnType<string | number, bigint | string | number, bigint | string | number>
/** timestamptz, written as UTC ISO text. */
export type Instant = ColumnType<Date | string, string | Date, string | Date>
/** A JSON value as read back from jsonb (null is a separate, column-level matter). */
export type JsonValue = string | number | boolean | object
/** jsonb, written as JSON text. */
export type Json = ColumnType<JsonValue, string, string>
/** A column with a default: optional when written. */
type Defaulted<T> = ColumnType<T, T | undefined, T>
/** jsonb with a default. */
type DefaultedJson = ColumnType<JsonValue, string | undefined, string>


export interface TweetsTable {
  id: string
  author_id: string | null
  account: string
  created_at: Instant
  kind: string
  source: string
  position: Position
}

export interface CountsTable {
  account: string
  bucket_start: Instant
  kind: string
  count: Defaulted<number>
}

export interface ExogenousEventsTable {
  event_id: string
  name: string | null
  start_at: Instant | null
  end_at: Instant | null
  intensity: number | null
  known_at: Instant | null
  kind: string | null
  tags: DefaultedJson
  /** The one account it bears on; null: every account. */
  account: string | null
  revisions: Defaulted<number>
  retracted: Defaulted<boolean>
  retraction_reason: string | null
  retracted_known_at: Instant | null
  curated_position: Position | null
  last_position: Position
}

export interface ExogenousEventLogTable {
  position: Position
  event_id: string
  stream_revision: number
  type: string
  known_at: Instant
  data: Json
}

export interface RegimesTable {
  event_id: string
  account: string
  detector: string
  at: Instant
  detected_at: Instant
  probability: number
  run_length_map: number | null
  run_length_mean: number | null
  run_length_p_short: number | null
  level_before: number
  level_after: number
  settings: Json | null
  position: Position
}

export interface BacktestsTable {
  backtest_id: string
  account: string | null
  started_at: Instant | null
  completed_at: Instant | null
  status: Defaulted<"started" | "completed">
  models: Json | null
  origins: Json | null
  origin_count: number | null
  first_origin: Instant | null
  last_origin: Instant | null
  train_window: string | null
  protocol: string | null
  paths: number | null
  /** bigint column: read back as text by pg. */
  seed: ColumnType<string | number, number, number> | null
  feature_spec_hash: string | null
  watermark: Position | null
  windows: Defaulted<number>
  code_version: string | null
  started_position: Position | null
  completed_position: Position | null
}

/** The per-window metric columns, one per key of WindowMetrics (their names are PROTOCOL.md's). */
export type WindowMetricColumns = { -readonly [K in (typeof WINDOW_METRIC_KEYS)[number]]: WindowMetrics[K] }

export interface BacktestWindowsTable extends WindowMetricColumns {
  backtest_id: string
  model: string
  origin: Instant
  fit_seconds: number
  forecast: Json
  nowcasts: Json | null
  weights: Json | null
  position: Position
}

/** The per-model average columns (ProtocolAverages) and the nowcast averages (null for older runs). */
export type SummaryMetricColumns = { -readonly [K in (typeof PROTOCOL_AVERAGE_KEYS)[number]]: ProtocolAverages[K] } & {
  [K in (typeof NOWCAST_SUMMARY_KEYS)[number]]: number | null
}

export interface BacktestSummariesTable extends SummaryMetricColumns {
  backtest_id: string
  model: string
  fit_s: number
  failures: DefaultedJson
  position: Position
}

export interface ModelsTable {
  model_id: string
  account: string
  kind: string
  spec: Json
  train_start: Instant
  train_end: Instant
  warmup_hours: number
  train_window: string
  watermark: Position
  count_kinds: Json
  params: Json
  diagnostics: Json
  backtest_id: string | null
  fit_seconds: number
  fitted_at: Instant
  code_version: string
  position: Position
}

export interface ForecastsTable {
  forecast_id: string
  account: string
  model: string
  requested: string
  members: Json
  ensemble: Json | null
  origin: Instant
  window_start: Instant
  window_end: Instant
  horizon: string | null
  watermark: Position
  count_kinds: Json
  seed: ColumnType<string | number, number, number>
  paths: number
  code_version: string
  notes: Json
  observed_count: number
  observed_hours: number
  total_mean: number
  total_q05: number
  total_q10: number
  total_q25: number
  total_q50: number
  total_q75: number
  total_q90: number
  total_q95: number
  remaining: Json
  days: Json
  issued_at: Instant
  position: Position
  /** `{backtestId, atDays, windows}` when issued with --calibrate (migration 0047), else null. */
  calibration: Json | null
}

export interface ForecastHoursTable {
  forecast_id: string
  hour_start: Instant
  mean: number
  q10: number
  q50: number
  q90: number
}

export interface ForecastBracketsTable {
  forecast_id: string
  idx: number
  label: string
  lo: number
  hi: number | null
  count: number
  probability: number
}

export interface ForecastScoresTable {
  forecast_id: string
  actual: number
  crps: number
  log_score: number
  pit: number
  inside50: boolean
  inside80: boolean
  inside95: boolean
  watermark: Position
  scored_at: Instant
  position: Position
}

export interface IngestionRunsTable {
  run_id: string
  account: string
  user_id: string | null
  mode: string | null
  since_id: string | null
  start_time: Instant | null
  backfill_days: number | null
  started_at: Instant | null
  status: Defaulted<"started" | "completed" | "failed" | "interrupted">
  pages: Defaulted<number>
  posts_served: Defaulted<number>
  tweets_appended: Defaulted<number>
  partial_errors: Defaulted<number>
  tweets_seen: number | null
  cursor: string | null
  reach_kind: string | null
  reach: string | null
  reached_back_to: Instant | null
  needs_import_from: Instant | null
  needs_import_to: Instant | null
  completed_at: Instant | null
  failure_reason: string | null
  failed_at: Instant | null
  closed_by: string | null
  position: Position
}

/** Every table a projection writes, by name. */
export interface ReadModels {
  tweets: TweetsTable
  hourly_counts: CountsTable
  daily_counts: CountsTable
  exogenous_events: ExogenousEventsTable
  exogenous_event_log: ExogenousEventLogTable
  regimes: RegimesTable
  backtests: BacktestsTable
  backtest_windows: BacktestWindowsTable
  backtest_summaries: BacktestSummariesTable
  models: ModelsTable
  forecasts: ForecastsTable
  forecast_hours: ForecastHoursTable
  forecast_brackets: ForecastBracketsTable
  forecast_scores: ForecastScoresTable
  ingestion_runs: IngestionRunsTable
}

export type ReadModelTable = keyof ReadModels

/** Bookkeeping of the projection runtime (migration 0002). */
export interface ProjectionCheckpointsTable {
  name: string
  position: ColumnType<string | number, bigint | string | number | undefined, bigint | string | number>
  updated_at: Defaulted<Date | string>
}

/** The event log of the SQL stores (migration 0001, hash column 0043). */
export interface EventsTable {
  position: Position
  event_id: string
  stream: string
  revision: number
  type: string
  data: Json
  metadata: Json
  recorded_at: Defaulted<Date | string>
  hash: string
}

/** The whole SQL schema: the handle every adapter and query uses is `Kysely<Database>`. */
export interface Database extends ReadModels {
  events: EventsTable
  projection_checkpoints: ProjectionCheckpointsTable
}
