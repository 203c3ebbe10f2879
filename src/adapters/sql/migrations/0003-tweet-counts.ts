/**
 * Read models of the tweet-count projections (src/projections/tweets.ts, counts.ts): one row per
 * observed tweet, and tweet counts per UTC hour and per UTC day, by kind.
 */
import { execAll, type Migration } from "./migration"

const kinds = "('post', 'reply', 'quote', 'retweet')"

const migration: Migration = {
  version: 3,
  name: "tweet_counts",
  up: (db) =>
    execAll(db, [
      `create table tweets (
         id         text primary key,
         author_id  text,
         account    text not null,
         created_at timestamptz not null,
         kind       text not null check (kind in ${kinds}),
         source     text not null check (source in ('api', 'import')),
         position   numeric(40,0) not null
       )`,
      `create index tweets_created_at_idx on tweets (created_at)`,
      `create table hourly_counts (
         bucket_start timestamptz not null,
         kind         text not null check (kind in ${kinds}),
         count        integer not null default 0,
         primary key (bucket_start, kind)
       )`,
      `create table daily_counts (
         bucket_start timestamptz not null,
         kind         text not null check (kind in ${kinds}),
         count        integer not null default 0,
         primary key (bucket_start, kind)
       )`
    ]),
  down: (db) => execAll(db, ["drop table daily_counts", "drop table hourly_counts", "drop table tweets"])
}

export default migration
