/**
 * Read models of the backtests projection (src/projections/backtests.ts):
 * - `backtests`: one row per backtest run (BacktestStarted), its status set by BacktestCompleted;
 * - `backtest_windows`: one row per BacktestWindowEvaluated (backtest, model, origin): every metric of
 *   the window, the fit time, and the forecast summary (hourly means, week-total quantiles) as jsonb;
 * - `backtest_summaries`: one row per (backtest, model) of BacktestCompleted: averages over origins.
 * The run columns of `backtests` are nullable only because completion and window counts are merged
 * into the row with `INSERT ... ON CONFLICT DO UPDATE`, whose insert half must pass NOT NULL checks;
 * BacktestStarted is always the first event of its stream, so they are set on every row.
 * Positions are numeric(40,0) like the checkpoints (EventStoreDB positions exceed bigint).
 */
import { execAll, type Migration } from "./migration"

const metric = "double precision not null check"

const migration: Migration = {
  version: 21,
  name: "backtests",
  up: (db) =>
    execAll(db, [
      `create table backtests (
         backtest_id       uuid primary key,
         started_at        timestamptz,
         completed_at      timestamptz,
         status            text not null default 'started' check (status in ('started', 'completed')),
         models            jsonb,
         origins           jsonb,
         origin_count      integer,
         first_origin      timestamptz,
         last_origin       timestamptz,
         train_window      text,
         protocol          text,
         paths             integer,
         seed              bigint,
         feature_spec_hash text,
         watermark         numeric(40,0),
         windows           integer not null default 0,
         code_version      text,
         started_position  numeric(40,0),
         completed_position numeric(40,0)
       )`,
      `create index backtests_started_position_idx on backtests (started_position)`,
      `create table backtest_windows (
         backtest_id   uuid not null,
         model         text not null,
         origin        timestamptz not null,
         mae_h24       ${metric} (mae_h24 >= 0),
         mae_h168      ${metric} (mae_h168 >= 0),
         mae_week      ${metric} (mae_week >= 0),
         crps_week     ${metric} (crps_week >= 0),
         inside50_week smallint not null check (inside50_week in (0, 1)),
         inside80_week smallint not null check (inside80_week in (0, 1)),
         inside95_week smallint not null check (inside95_week in (0, 1)),
         rmse_h24      ${metric} (rmse_h24 >= 0),
         rmse_h168     ${metric} (rmse_h168 >= 0),
         mase_h24      double precision check (mase_h24 >= 0),
         mase_h168     double precision check (mase_h168 >= 0),
         logscore_week double precision not null,
         pit_week      double precision not null check (pit_week >= 0 and pit_week <= 1),
         actual_week   ${metric} (actual_week >= 0),
         mean_week     ${metric} (mean_week >= 0),
         fit_seconds   ${metric} (fit_seconds >= 0),
         forecast      jsonb not null,
         position      numeric(40,0) not null,
         primary key (backtest_id, model, origin)
       )`,
      `create table backtest_summaries (
         backtest_id   uuid not null,
         model         text not null,
         origins       integer not null,
         mae_h24       double precision not null,
         mae_h168      double precision not null,
         mae_week      double precision not null,
         crps_week     double precision not null,
         cover50_week  double precision not null,
         cover80_week  double precision not null,
         cover95_week  double precision not null,
         rmse_h24      double precision not null,
         rmse_h168     double precision not null,
         mase_h24      double precision,
         mase_h168     double precision,
         logscore_week double precision not null,
         fit_s         double precision not null,
         failures      jsonb not null default '[]',
         position      numeric(40,0) not null,
         primary key (backtest_id, model)
       )`
    ]),
  down: (db) => execAll(db, ["drop table backtest_summaries", "drop table backtest_windows", "drop table backtests"])
}

export default migration
