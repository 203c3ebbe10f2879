/**
 * The SQL event log. `position` is the global order; it is assigned by the appender while it holds a
 * transaction-level advisory lock, so positions become visible in order and are gap-free
 * (see src/adapters/event-store/sql.ts). A stream's current revision is its highest `revision`, read
 * through the (stream, revision) unique index; no separate streams table to keep in step.
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 1,
  name: "event_log",
  up: (db) =>
    execAll(db, [
      `create table events (
         position    bigint primary key check (position > 0),
         event_id    uuid not null unique,
         stream      text not null,
         revision    integer not null check (revision >= 0),
         type        text not null,
         data        jsonb not null,
         metadata    jsonb not null,
         recorded_at timestamptz not null default now(),
         constraint events_stream_revision_key unique (stream, revision)
       )`
    ]),
  down: (db) => execAll(db, ["drop table events"]),
  deletesEvents: true
}

export default migration
