/**
 * The typed tables (src/adapters/sql/tables.ts) against the schema the migrations really make: every
 * table and column, and whether it may be null. The expectation below is checked against the
 * interfaces by the compiler (a column missing, extra or of the wrong nullability does not compile),
 * and against the migrated database by the test.
 */
import { Effect } from "effect"
import type { SelectType } from "kysely"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { SqlDatabase } from "../../../src/adapters/sql/database"
import { migrated } from "../../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../../src/adapters/sql/pglite"
import type { Database } from "../../../src/adapters/sql/tables"
import { withTempDataDir } from "../../support/pglite"

type Nullability<Row> = { [K in keyof Row]-?: null extends SelectType<Row[K]> ? "nullable" : "not null" }
type Schema = { [T in keyof Database]: Nullability<Database[T]> }

const expected: Schema = {
  backtest_summaries: { backtest_id: "not null", model: "not null", origins: "not null", mae_h24: "not null", mae_h168: "not null", mae_week: "not null", crps_week: "not null", cover50_week: "not null", cover80_week: "not null", cover95_week: "not null", rmse_h24: "not null", rmse_h168: "not null", mase_h24: "nullable", mase_h168: "nullable", logscore_week: "not null", fit_s: "not null", failures: "not null", position: "not null", crps_week_at_1d: "nullable", crps_week_at_3d: "nullable", crps_week_at_5d: "nullable", cover80_week_at_1d: "nullable", cover80_week_at_3d: "nullable", cover80_week_at_5d: "nullable"},
  backtest_windows: { backtest_id: "not null", model: "not null", origin: "not null", mae_h24: "not null", mae_h168: "not null", mae_week: "not null", crps_week: "not null", inside50_week: "not null", inside80_week: "not null", inside95_week: "not null", rmse_h24: "not null", rmse_h168: "not null", mase_h24: "nullable", mase_h168: "nullable", logscore_week: "not null", pit_week: "not null", actual_week: "not null", mean_week: "not null", fit_seconds: "not null", forecast: "not null", position: "not null", nowcasts: "nullable", weights: "nullable"},
  backtests: { backtest_id: "not null", started_at: "nullable", completed_at: "nullable", status: "not null", models: "nullable", origins: "nullable", origin_count: "nullable", first_origin: "nullable", last_origin: "nullable", train_window: "nullable", protocol: "nullable", paths: "nullable", seed: "nullable", feature_spec_hash: "nullable", watermark: "nullable", windows: "not null", code_version: "nullable", started_position: "nullable", completed_position: "nullable", account: "nullable"},
  daily_counts: { account: "not null", bucket_start: "not null", kind: "not null", count: "not null"},
  events: { position: "not null", event_id: "not null", stream: "not null", revision: "not null", type: "not null", data: "not null", metadata: "not null", recorded_at: "not null", hash: "not null"},
  exogenous_event_log: { position: "not null", event_id: "not null", stream_revision: "not null", type: "not null", known_at: "not null", data: "not null"},
  exogenous_events: { account: "nullable", event_id: "not null", name: "nullable", start_at: "nullable", end_at: "nullable", intensity: "nullable", known_at: "nullable", kind: "nullable", tags: "not null", revisions: "not null", retracted: "not null", retraction_reason: "nullable", retracted_known_at: "nullable", curated_position: "nullable", last_position: "not null"},
  forecast_brackets: { forecast_id: "not null", idx: "not null", label: "not null", lo: "not null", hi: "nullable", count: "not null", probability: "not null"},
  forecast_hours: { forecast_id: "not null", hour_start: "not null", mean: "not null", q10: "not null", q50: "not null", q90: "not null"},
  forecast_scores: { forecast_id: "not null", actual: "not null", crps: "not null", log_score: "not null", pit: "not null", inside50: "not null", inside80: "not null", inside95: "not null", watermark: "not null", scored_at: "not null", position: "not null"},
  forecasts: { forecast_id: "not null", model: "not null", requested: "not null", members: "not null", ensemble: "nullable", origin: "not null", window_start: "not null", window_end: "not null", horizon: "nullable", watermark: "not null", count_kinds: "not null", seed: "not null", paths: "not null", code_version: "not null", notes: "not null", observed_count: "not null", observed_hours: "not null", total_mean: "not null", total_q05: "not null", total_q10: "not null", total_q25: "not null", total_q50: "not null", total_q75: "not null", total_q90: "not null", total_q95: "not null", remaining: "not null", days: "not null", issued_at: "not null", position: "not null", account: "not null", calibration: "nullable"},
  hourly_counts: { account: "not null", bucket_start: "not null", kind: "not null", count: "not null"},
  ingestion_runs: { run_id: "not null", account: "not null", user_id: "nullable", mode: "nullable", since_id: "nullable", start_time: "nullable", backfill_days: "nullable", started_at: "nullable", status: "not null", pages: "not null", posts_served: "not null", tweets_appended: "not null", partial_errors: "not null", tweets_seen: "nullable", cursor: "nullable", reach_kind: "nullable", reach: "nullable", reached_back_to: "nullable", needs_import_from: "nullable", needs_import_to: "nullable", completed_at: "nullable", position: "not null", failure_reason: "nullable", failed_at: "nullable", closed_by: "nullable"},
  models: { model_id: "not null", kind: "not null", spec: "not null", train_start: "not null", train_end: "not null", warmup_hours: "not null", train_window: "not null", watermark: "not null", count_kinds: "not null", params: "not null", diagnostics: "not null", backtest_id: "nullable", fit_seconds: "not null", fitted_at: "not null", code_version: "not null", position: "not null", account: "not null"},
  projection_checkpoints: { name: "not null", position: "not null", updated_at: "not null"},
  regimes: { event_id: "not null", account: "not null", detector: "not null", at: "not null", detected_at: "not null", probability: "not null", run_length_map: "nullable", run_length_mean: "nullable", run_length_p_short: "nullable", level_before: "not null", level_after: "not null", settings: "nullable", position: "not null"},
  tweets: { id: "not null", author_id: "nullable", account: "not null", created_at: "not null", kind: "not null", source: "not null", position: "not null"},
}

describe("typed tables", () => {
  const dir = withTempDataDir()

  it("every table and column of the migrated schema is in Database with its nullability, and nothing else", async () => {
    const actual = await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          const { db } = yield* SqlDatabase
          return yield* Effect.promise(() =>
            sql<{ table_name: string; column_name: string; is_nullable: string }>`
              select table_name, column_name, is_nullable from information_schema.columns
              where table_schema = current_schema() and table_name <> 'schema_migrations'`.execute(db)
          )
        }),
        migrated(SqlDatabasePglite(`${dir}/store`))
      )
    )
    const fromDatabase: Record<string, Record<string, string>> = {}
    for (const r of actual.rows) (fromDatabase[r.table_name] ??= {})[r.column_name] = r.is_nullable === "YES" ? "nullable" : "not null"
    const sorted = (o: Record<string, Record<string, string>>) =>
      Object.fromEntries(Object.keys(o).sort().map((t) => [t, Object.fromEntries(Object.keys(o[t]!).sort().map((c) => [c, o[t]![c]]))]))
    expect(sorted(fromDatabase)).toEqual(sorted(expected as unknown as Record<string, Record<string, string>>))
  })

  it("tweets keeps only the indexes its per-account readers use (0046 dropped the created_at-only one)", async () => {
    const indexes = await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          const { db } = yield* SqlDatabase
          const r = yield* Effect.promise(() =>
            sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = current_schema() and tablename = 'tweets'`.execute(db)
          )
          return r.rows.map((x) => x.indexdef.replace(/ ON \S+ USING/, " USING")).sort()
        }),
        migrated(SqlDatabasePglite(`${dir}/indexes`))
      )
    )
    expect(indexes).toEqual([
      "CREATE INDEX tweets_account_created_at_idx USING btree (account, created_at)",
      "CREATE UNIQUE INDEX tweets_pkey USING btree (id)"
    ])
  })
})
