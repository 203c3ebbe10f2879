/**
 * Read model of the regimes projection (src/projections/regimes.ts): one row per RegimeShiftDetected,
 * keyed by its deterministic event id (UUID v5 of account, detector, regime start and detection time).
 * `at` is the first day of the new regime; `detected_at` the instant the detection became knowable.
 * Positions are numeric(40,0) like the checkpoints (EventStoreDB positions exceed bigint).
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 20,
  name: "regimes",
  up: (db) =>
    execAll(db, [
      `create table regimes (
         event_id           uuid primary key,
         account            text not null,
         detector           text not null check (detector in ('bocpd', 'rolling_variance')),
         at                 timestamptz not null,
         detected_at        timestamptz not null,
         probability        double precision not null check (probability >= 0 and probability <= 1),
         run_length_map     integer,
         run_length_mean    double precision,
         run_length_p_short double precision,
         level_before       double precision not null,
         level_after        double precision not null,
         settings           jsonb,
         position           numeric(40,0) not null,
         check (detected_at > at)
       )`,
      `create index regimes_account_at_idx on regimes (account, at)`
    ]),
  down: (db) => execAll(db, ["drop table regimes"])
}

export default migration
