/**
 * Read model of the ingestion-runs projection (src/projections/ingestion-runs.ts): one row per
 * `musktracker ingest` run, from its IngestionRunStarted, IngestionPageFetched and
 * IngestionRunCompleted events. A run with no completion (status `started`) is running or was stopped
 * before its end; the next run starts again from the last completed run's cursor.
 * Positions are numeric(40,0) like the checkpoints (EventStoreDB positions exceed bigint).
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 40,
  name: "ingestion_runs",
  up: (db) =>
    execAll(db, [
      `create table ingestion_runs (
         run_id            uuid primary key,
         account           text not null,
         user_id           text,
         mode              text check (mode in ('incremental', 'backfill')),
         since_id          text,
         start_time        timestamptz,
         backfill_days     integer,
         started_at        timestamptz,
         status            text not null default 'started' check (status in ('started', 'completed')),
         pages             integer not null default 0,
         posts_served      integer not null default 0,
         tweets_appended   integer not null default 0,
         partial_errors    integer not null default 0,
         tweets_seen       integer,
         cursor            text,
         reach_kind        text check (reach_kind in ('Complete', 'Capped')),
         reach             text,
         reached_back_to   timestamptz,
         needs_import_from timestamptz,
         needs_import_to   timestamptz,
         completed_at      timestamptz,
         position          numeric(40,0) not null
       )`,
      `create index ingestion_runs_account_started_idx on ingestion_runs (account, started_at)`
    ]),
  down: (db) => execAll(db, ["drop table ingestion_runs"])
}

export default migration
