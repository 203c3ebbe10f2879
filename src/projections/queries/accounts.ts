/**
 * Reading what the read models know of each account: its tweets (count and span), its last ingest
 * run and its latest forecast. One grouped query per table; accounts are those with a tweet, an ingest
 * run or a curated event scoped to them; `accountKnown` asks the same of one account.
 */
import { Effect } from "effect"
import { sql } from "kysely"
import { SqlDatabase } from "../../adapters/sql/database"
import { runQuery } from "./run-query"

export interface AccountRow {
  readonly account: string
  readonly tweets: number
  /** Creation instants of its first and last tweet (epoch ms), null without tweets. */
  readonly firstTweetAt: number | null
  readonly lastTweetAt: number | null
  /** Its newest ingest run: when it started, how it ended (`started` while open), the X user it read. */
  readonly lastIngest: { readonly startedAt: number | null; readonly status: string; readonly userId: string | null } | null
  /** Its newest forecast: id, window and predictive mean of the window total. */
  readonly latestForecast: { readonly forecastId: string; readonly windowStart: number; readonly windowEnd: number; readonly mean: number } | null
}

const ms = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** Every account the read models know, by name. */
export const listAccounts = Effect.gen(function* () {
  const { db, describe } = yield* SqlDatabase
  const tweets = yield* runQuery(describe, () =>
    sql<{ account: string; n: string; lo: number | null; hi: number | null }>`
      select account, count(*)::text as n, (extract(epoch from min(created_at)) * 1000)::float8 as lo,
             (extract(epoch from max(created_at)) * 1000)::float8 as hi
      from tweets group by account`.execute(db)
  )
  const runs = yield* runQuery(describe, () =>
    sql<{ account: string; started_ms: number | null; status: string; user_id: string | null }>`
      select distinct on (account) account, (extract(epoch from started_at) * 1000)::float8 as started_ms, status, user_id
      from ingestion_runs order by account, position desc`.execute(db)
  )
  const forecasts = yield* runQuery(describe, () =>
    sql<{ account: string; forecast_id: string; start_ms: number; end_ms: number; mean: number }>`
      select distinct on (account) account, forecast_id::text as forecast_id, (extract(epoch from window_start) * 1000)::float8 as start_ms,
             (extract(epoch from window_end) * 1000)::float8 as end_ms, total_mean as mean
      from forecasts order by account, position desc`.execute(db)
  )
  const scoped = yield* runQuery(describe, () =>
    sql<{ account: string }>`select distinct account from exogenous_events where account is not null`.execute(db)
  )
  const names = [...new Set([...tweets.rows.map((r) => r.account), ...runs.rows.map((r) => r.account), ...scoped.rows.map((r) => r.account)])].sort()
  return names.map((account): AccountRow => {
    const t = tweets.rows.find((r) => r.account === account)
    const run = runs.rows.find((r) => r.account === account)
    const f = forecasts.rows.find((r) => r.account === account)
    return {
      account,
      tweets: t === undefined ? 0 : Number(t.n),
      firstTweetAt: ms(t?.lo),
      lastTweetAt: ms(t?.hi),
      lastIngest: run === undefined ? null : { startedAt: ms(run.started_ms), status: run.status, userId: run.user_id },
      latestForecast: f === undefined ? null : { forecastId: f.forecast_id, windowStart: Number(f.start_ms), windowEnd: Number(f.end_ms), mean: Number(f.mean) }
    }
  })
})

/**
 * Whether `listAccounts` would list `account` (a tweet of it, an ingest run for it, or a curated event
 * scoped to it; the last two may come before any tweet), without its grouped queries.
 */
export const accountKnown = (account: string) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      sql<{ known: boolean }>`
        select exists (select 1 from tweets where account = ${account})
            or exists (select 1 from ingestion_runs where account = ${account})
            or exists (select 1 from exogenous_events where account = ${account}) as known`.execute(db)
    )
    return r.rows[0]?.known === true
  })

/**
 * Of these tweet ids, how many the read model holds for accounts other than `account`, per account (a
 * tweet stays with the account it was first recorded for: an import under another account adds nothing).
 */
export const tweetsOfOtherAccounts = (ids: ReadonlyArray<string>, account: string) =>
  Effect.gen(function* () {
    if (ids.length === 0) return []
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      sql<{ account: string; n: string }>`
        select account, count(*)::text as n from tweets
        where id = any(${[...ids]}::text[]) and account <> ${account}
        group by account order by account`.execute(db)
    )
    return r.rows.map((row) => ({ account: row.account, tweets: Number(row.n) }))
  })
