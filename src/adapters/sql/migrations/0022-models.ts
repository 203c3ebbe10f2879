/**
 * Read model of the models projection (src/projections/models.ts): one row per ModelFitted, keyed by
 * model id, with the spec, parameters and diagnostics as jsonb exactly as the event carries them.
 * `fitted_at` is when the event was recorded; `position` its global log position (the newest fit of a
 * kind is the one with the highest position). Positions are numeric(40,0) like the checkpoints.
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 22,
  name: "models",
  up: (db) =>
    execAll(db, [
      `create table models (
         model_id     uuid primary key,
         kind         text not null,
         spec         jsonb not null,
         train_start  timestamptz not null,
         train_end    timestamptz not null,
         warmup_hours integer not null,
         train_window text not null,
         watermark    numeric(40,0) not null,
         count_kinds  jsonb not null,
         params       jsonb not null,
         diagnostics  jsonb not null,
         backtest_id  uuid,
         fit_seconds  double precision not null,
         fitted_at    timestamptz not null,
         code_version text not null,
         position     numeric(40,0) not null
       )`,
      `create index models_kind_position_idx on models (kind, position)`
    ]),
  down: (db) => execAll(db, ["drop table models"])
}

export default migration
