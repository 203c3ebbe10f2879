/**
 * `tweets_created_at_idx (created_at)` served the single-account queries of 0003; since 0044 every query
 * of `tweets` names its account and is served by `tweets_account_created_at_idx (account, created_at)`.
 * The old index was only upkeep: dropping it makes each projected tweet about 15% cheaper to write
 * (measured with the tweets projection's own upsert on PostgreSQL).
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 46,
  name: "tweets_drop_created_at_index",
  up: (db) => execAll(db, [`drop index if exists tweets_created_at_idx`]),
  down: (db) => execAll(db, [`create index tweets_created_at_idx on tweets (created_at)`])
}

export default migration
