/**
 * Read models of the exogenous projection (src/projections/exogenous.ts):
 * - `exogenous_events`: one row per curated event in its latest state (retracted ones kept, flagged);
 * - `exogenous_event_log`: every curation, revision and retraction with its `known_at`, so the as-of
 *   view at any cutoff (`enrich list --at`, backtests) is one indexed read instead of a scan of the log.
 * Positions are numeric(40,0) like the checkpoints (EventStoreDB positions exceed bigint).
 * The event columns of `exogenous_events` are nullable only because revisions are merged with
 * `INSERT ... ON CONFLICT DO UPDATE`, whose insert half must pass NOT NULL checks; the decider and the
 * event schemas guarantee every column of a curated event is set.
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 10,
  name: "exogenous_events",
  up: (db) =>
    execAll(db, [
      `create table exogenous_events (
         event_id           uuid primary key,
         name               text,
         start_at           timestamptz,
         end_at             timestamptz,
         intensity          double precision check (intensity >= 0 and intensity <= 1),
         known_at           timestamptz,
         kind               text check (kind in ('scheduled', 'unscheduled')),
         tags               jsonb not null default '[]',
         revisions          integer not null default 0,
         retracted          boolean not null default false,
         retraction_reason  text,
         retracted_known_at timestamptz,
         curated_position   numeric(40,0),
         last_position      numeric(40,0) not null,
         check (end_at >= start_at)
       )`,
      `create index exogenous_events_start_idx on exogenous_events (start_at)`,
      `create table exogenous_event_log (
         position        numeric(40,0) primary key,
         event_id        uuid not null,
         stream_revision integer not null,
         type            text not null,
         known_at        timestamptz not null,
         data            jsonb not null
       )`,
      `create index exogenous_event_log_event_idx on exogenous_event_log (event_id, position)`
    ]),
  down: (db) => execAll(db, ["drop table exogenous_event_log", "drop table exogenous_events"])
}

export default migration
