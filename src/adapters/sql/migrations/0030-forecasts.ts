/**
 * Read models of the forecasts projection (src/projections/forecasts.ts):
 * - `forecasts`: one row per ForecastIssued: what was run (model, members with their model ids and
 *   weights, ensemble fit), the origin, window, watermark, counted kinds, seed, paths, code version, the
 *   observed part, the distribution of the window total (mean and 5..95% as columns; the remaining part
 *   as jsonb) and the 24-hour blocks (jsonb);
 * - `forecast_hours`: the hourly fan (mean, 10/50/90%) per (forecast, hour);
 * - `forecast_brackets`: bracket probabilities per (forecast, bracket index), when brackets were asked;
 * - `forecast_scores`: one row per ForecastScored (actual total, CRPS, log score, PIT, inside 50/80/95).
 * Positions are numeric(40,0) like the checkpoints (EventStoreDB positions exceed bigint).
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 30,
  name: "forecasts",
  up: (db) =>
    execAll(db, [
      `create table forecasts (
         forecast_id      uuid primary key,
         model            text not null,
         requested        text not null,
         members          jsonb not null,
         ensemble         jsonb,
         origin           timestamptz not null,
         window_start     timestamptz not null,
         window_end       timestamptz not null,
         horizon          text,
         watermark        numeric(40,0) not null,
         count_kinds      jsonb not null,
         seed             bigint not null,
         paths            integer not null check (paths > 0),
         code_version     text not null,
         notes            jsonb not null,
         observed_count   integer not null check (observed_count >= 0),
         observed_hours   integer not null check (observed_hours >= 0),
         total_mean       double precision not null,
         total_q05        double precision not null,
         total_q10        double precision not null,
         total_q25        double precision not null,
         total_q50        double precision not null,
         total_q75        double precision not null,
         total_q90        double precision not null,
         total_q95        double precision not null,
         remaining        jsonb not null,
         days             jsonb not null,
         issued_at        timestamptz not null,
         position         numeric(40,0) not null,
         check (window_end > window_start)
       )`,
      `create index forecasts_position_idx on forecasts (position)`,
      `create index forecasts_window_end_idx on forecasts (window_end)`,
      `create table forecast_hours (
         forecast_id uuid not null,
         hour_start  timestamptz not null,
         mean        double precision not null,
         q10         double precision not null,
         q50         double precision not null,
         q90         double precision not null,
         primary key (forecast_id, hour_start)
       )`,
      `create table forecast_brackets (
         forecast_id uuid not null,
         idx         integer not null check (idx >= 0),
         label       text not null,
         lo          integer not null check (lo >= 0),
         hi          integer,
         count       integer not null check (count >= 0),
         probability double precision not null check (probability >= 0 and probability <= 1),
         primary key (forecast_id, idx)
       )`,
      `create table forecast_scores (
         forecast_id uuid primary key,
         actual      integer not null check (actual >= 0),
         crps        double precision not null check (crps >= 0),
         log_score   double precision not null,
         pit         double precision not null check (pit >= 0 and pit <= 1),
         inside50    boolean not null,
         inside80    boolean not null,
         inside95    boolean not null,
         watermark   numeric(40,0) not null,
         scored_at   timestamptz not null,
         position    numeric(40,0) not null
       )`
    ]),
  down: (db) => execAll(db, ["drop table forecast_scores", "drop table forecast_brackets", "drop table forecast_hours", "drop table forecasts"])
}

export default migration
