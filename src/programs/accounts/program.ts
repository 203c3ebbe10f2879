/** `musktracker accounts list`: what the read models know of each account, after catching up. */
import { Console, Effect } from "effect"
import { toIsoUtc } from "../../domain/time"
import { listAccounts, type AccountRow } from "../../projections/queries/accounts"
import { catchUpProjections } from "../catch-up"
import { renderJson, renderTable, type OutputFormat } from "../cli/format"
import { StoreLayer } from "../layers"

const iso = (ms: number | null): string | null => (ms === null ? null : toIsoUtc(ms))

/** The JSON shape (instants as ISO strings). */
export const accountJson = (a: AccountRow) => ({
  account: a.account,
  tweets: a.tweets,
  first_tweet_at: iso(a.firstTweetAt),
  last_tweet_at: iso(a.lastTweetAt),
  last_ingest: a.lastIngest === null ? null : { started_at: iso(a.lastIngest.startedAt), status: a.lastIngest.status, user_id: a.lastIngest.userId },
  latest_forecast:
    a.latestForecast === null
      ? null
      : { forecast_id: a.latestForecast.forecastId, window_start: toIsoUtc(a.latestForecast.windowStart), window_end: toIsoUtc(a.latestForecast.windowEnd), mean: a.latestForecast.mean }
})

export const renderAccounts = (rows: ReadonlyArray<AccountRow>): string =>
  rows.length === 0
    ? "no account yet: run `musktracker import FILE --account NAME` or `musktracker ingest --account NAME`"
    : renderTable(
        ["account", "tweets", "first_tweet", "last_tweet", "last_ingest", "latest_forecast"],
        rows.map((a) => [
          `@${a.account}`,
          a.tweets,
          iso(a.firstTweetAt) ?? "-",
          iso(a.lastTweetAt) ?? "-",
          a.lastIngest === null ? "-" : `${iso(a.lastIngest.startedAt) ?? "?"} (${a.lastIngest.status}, user ${a.lastIngest.userId ?? "?"})`,
          a.latestForecast === null
            ? "-"
            : `${toIsoUtc(a.latestForecast.windowStart)} .. ${toIsoUtc(a.latestForecast.windowEnd)}: mean ${a.latestForecast.mean.toFixed(1)} (${a.latestForecast.forecastId})`
        ])
      )

export const accountsList = ({ format }: { readonly format: OutputFormat }) =>
  Effect.gen(function* () {
    yield* catchUpProjections
    const rows = yield* listAccounts
    yield* Console.log(format === "json" ? renderJson(rows.map(accountJson)) : renderAccounts(rows))
    return rows
  })

export const runAccountsList = (a: { readonly format: OutputFormat }) => accountsList(a).pipe(Effect.provide(StoreLayer))
