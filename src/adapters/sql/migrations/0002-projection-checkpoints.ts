/**
 * One row per projection: the global position of the last event applied to its read model.
 * numeric(40,0), not bigint: EventStoreDB positions pack (commit, prepare) into one integer above 2^63.
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 2,
  name: "projection_checkpoints",
  up: (db) =>
    execAll(db, [
      `create table projection_checkpoints (
         name       text primary key,
         position   numeric(40,0) not null default 0,
         updated_at timestamptz not null default now()
       )`
    ]),
  down: (db) => execAll(db, ["drop table projection_checkpoints"])
}

export default migration
