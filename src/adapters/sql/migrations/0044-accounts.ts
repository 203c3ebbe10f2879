/**
 * The account as a key of every read model derived from tweets (docs/SCHEMA.md "Accounts"):
 * - `hourly_counts`, `daily_counts`: keyed by (account, bucket_start, kind). Their rows cannot be split
 *   by account after the fact, so they are emptied and their checkpoints reset to 0: the next catch-up
 *   (every command runs one) rebuilds them from the log, where each TweetObserved names its account.
 * - `backtests`, `models`, `forecasts`: an `account` column (in `backtests` null until the run's
 *   BacktestStarted is projected, like its other start columns). Events recorded before this release name no
 *   account; the projections read them as @elonmusk (LEGACY_ACCOUNT, src/domain/accounts/account.ts), so
 *   the rows are filled with that value, which is what a rebuild from the log gives.
 * - `tweets`: an (account, created_at) index for the per-account time-range reads.
 * No event is rewritten.
 */
import { execAll, type Migration } from "./migration"

const LEGACY = "'elonmusk'"
const KEYED = ["models", "forecasts"]
const COUNTS = ["hourly_counts", "daily_counts"]

const migration: Migration = {
  version: 44,
  name: "accounts",
  up: (db) =>
    execAll(db, [
      ...COUNTS.flatMap((t) => [
        `delete from ${t}`,
        `alter table ${t} add column account text not null`,
        `alter table ${t} drop constraint ${t}_pkey`,
        `alter table ${t} add primary key (account, bucket_start, kind)`
      ]),
      `update projection_checkpoints set position = 0, updated_at = now() where name in (${COUNTS.map((t) => `'${t}'`).join(", ")})`,
      ...KEYED.flatMap((t) => [`alter table ${t} add column account text not null default ${LEGACY}`, `alter table ${t} alter column account drop default`]),
      // A run's row can exist before its BacktestStarted is projected (window events merge into it): null until then.
      `alter table backtests add column account text`,
      `update backtests set account = ${LEGACY} where started_position is not null`,
      `create index backtests_account_idx on backtests (account, started_position)`,
      `create index models_account_kind_idx on models (account, kind, position)`,
      `create index forecasts_account_idx on forecasts (account, position)`,
      `create index tweets_account_created_at_idx on tweets (account, created_at)`
    ]),
  down: (db) =>
    execAll(db, [
      `drop index tweets_account_created_at_idx`,
      `drop index forecasts_account_idx`,
      `drop index models_account_kind_idx`,
      `drop index backtests_account_idx`,
      ...[...KEYED, "backtests"].map((t) => `alter table ${t} drop column account`),
      ...COUNTS.flatMap((t) => [
        `delete from ${t}`,
        `alter table ${t} drop constraint ${t}_pkey`,
        `alter table ${t} drop column account`,
        `alter table ${t} add primary key (bucket_start, kind)`
      ]),
      `update projection_checkpoints set position = 0, updated_at = now() where name in (${COUNTS.map((t) => `'${t}'`).join(", ")})`
    ])
}

export default migration
