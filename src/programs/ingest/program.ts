/**
 * `musktracker ingest [--account elonmusk] [--backfill-days N]`, `ingest verify [--days 7]` and
 * `ingest runs`. See docs/ingestion.md.
 *
 * Order matters for "nothing written": the account is looked up on X (which needs the token) before
 * the store is opened, so no token, a wrong token or an unknown account fail with one line and leave
 * no trace — not even a new embedded data directory.
 */
import { Console, Effect, Layer, Option } from "effect"
import { AppConfigLive } from "../../adapters/config"
import { XApiClientLive } from "../../adapters/x-api/client"
import { toIsoUtc } from "../../domain/time"
import { maxBackfillDays, TIMELINE_EARLIEST_START_MS } from "../../domain/ingestion/reach"
import { ingestionRuns } from "../../projections/queries/ingestion"
import { catchUpProjections } from "../catch-up"
import { renderJson, renderTable, type OutputFormat } from "../cli/format"
import { StoreLayer } from "../layers"
import { UsageError } from "../cli/usage-error"
import { accountFilter, resolveAccount, resolveAccounts } from "../cli/account"
import { errorLine } from "../cli/cli-errors"
import { ingestAccounts } from "./accounts"
import { IngestAccountsFailed, IngestVerifyMismatch } from "./errors"
import { ingestAccount, type IngestSummary, lookupAccount } from "./run"
import { compareCounts, fetchXCounts, type VerifyReport, verifyWindow } from "./verify"

const XLayer = XApiClientLive.pipe(Layer.provideMerge(AppConfigLive))

/** The lines printed after a run. */
export const renderSummary = (s: IngestSummary): ReadonlyArray<string> => {
  const window =
    s.plan.sinceId !== undefined ? `since post ${s.plan.sinceId}` : `since ${toIsoUtc(s.plan.startMs ?? s.plan.requestedStartMs)}`
  const pages = s.searchPages > 0 ? `${s.pages} (${s.timelinePages} timeline, ${s.searchPages} recent search)` : `${s.pages}`
  const lines = [
    `ingest @${s.account} (user ${s.userId}): ${s.plan.mode}, ${window}`,
    `pages: ${pages}; tweets seen: ${s.tweetsSeen}; new: ${s.tweetsAppended}; already present: ${s.tweetsSeen - s.tweetsAppended}`,
    s.reach.description,
    `cursor: ${s.cursor ?? "(none: no post seen yet)"} (the next incremental run asks for newer posts)`
  ]
  if (s.partialErrors > 0) lines.push(`partial errors from X: ${s.partialErrors} (logged, and kept in the run's page events)`)
  return lines
}

const positive = (name: string, value: number, max?: number) =>
  !Number.isInteger(value) || value < 1 || (max !== undefined && value > max)
    ? Effect.fail(new UsageError({ message: `--${name} ${value}: expected a whole number of days from 1${max !== undefined ? ` to ${max}` : ""}` }))
    : Effect.succeed(value)

export const renderVerify = (r: VerifyReport): ReadonlyArray<string> => {
  const head = `ingest verify @${r.account}: ${r.hours} hours ${toIsoUtc(r.fromMs)} .. ${toIsoUtc(r.toMs)}; read model ${r.storeTotal} posts, X ${r.xTotal}`
  if (r.differences.length === 0) return [head, "no difference: every hour agrees with X's counts"]
  return [
    head,
    renderTable(
      ["hour", "read_model", "x", "diff"],
      r.differences.map((d) => [toIsoUtc(d.hourStart), d.store, d.x === undefined ? "(none)" : d.x, d.x === undefined ? "?" : d.store - d.x])
    )
  ]
}

export const runVerify = ({ account, days }: { readonly account: Option.Option<string>; readonly days: number }) =>
    Effect.gen(function* () {
      const n = yield* positive("days", days, 7)
      const name = yield* resolveAccount(account)
      const window = verifyWindow(Date.now(), n)
      const xByHour = yield* fetchXCounts(name, window)
      const report = yield* Effect.gen(function* () {
        yield* catchUpProjections
        return yield* compareCounts(name, window, xByHour)
      }).pipe(Effect.provide(StoreLayer))
      for (const line of renderVerify(report)) yield* Console.log(line)
      if (report.differences.length > 0) {
        return yield* new IngestVerifyMismatch({ account: name, differing: report.differences.length, hours: report.hours })
      }
    }).pipe(Effect.provide(XLayer))

export const runRuns = ({ account: flag, limit, format }: { readonly account: Option.Option<string>; readonly limit: number; readonly format: OutputFormat }) =>
    Effect.gen(function* () {
      if (limit < 1) return yield* new UsageError({ message: `--limit must be at least 1, got ${limit}` })
      const account = yield* accountFilter(flag)
      yield* catchUpProjections
      const runs = yield* ingestionRuns(account === undefined ? { limit } : { account, limit })
      if (format === "json") return yield* Console.log(renderJson(runs))
      if (runs.length === 0) return yield* Console.log(account === undefined ? "no ingest run yet" : `no ingest run of @${account} yet`)
      const iso = (ms: number | null) => (ms === null ? "" : toIsoUtc(ms))
      yield* Console.log(
        renderTable(
          ["started", "account", "mode", "status", "pages", "seen", "new", "cursor", "reached back to"],
          runs.map((r) => [
            iso(r.startedAt),
            `@${r.account}`,
            r.mode ?? "",
            r.status,
            r.pages,
            r.tweetsSeen ?? r.postsServed,
            r.tweetsAppended,
            r.cursor ?? "",
            r.status === "completed"
              ? iso(r.reachedBackTo) + (r.reachKind === "Capped" ? " (capped)" : "")
              : r.status === "started"
                ? "(not completed: running, or stopped; the next run closes it)"
                : `(${r.status}: ${r.failureReason ?? "no reason recorded"})`
          ])
        )
      )
    }).pipe(Effect.provide(StoreLayer))

export const runIngest = ({ account: flag, backfillDays }: { readonly account: Option.Option<string>; readonly backfillDays: Option.Option<number> }) =>
  Effect.gen(function* () {
    const accounts = yield* resolveAccounts(flag)
    const days = yield* Option.match(backfillDays, {
      onNone: () => Effect.succeed(undefined),
      onSome: (d) =>
        Effect.flatMap(positive("backfill-days", d), (days) => {
          // X answers 400 to a timeline start before 2010-11-06: say so before any request.
          const max = maxBackfillDays(Date.now())
          return days <= max
            ? Effect.succeed(days)
            : Effect.fail(new UsageError({ message: `--backfill-days ${days}: X's user timeline starts no earlier than ${toIsoUtc(TIMELINE_EARLIEST_START_MS).slice(0, 10)}, at most ${max} days back today` }))
        })
    })
    const options = (account: string) => ({ account, ...(days !== undefined ? { backfillDays: days } : {}) })
    if (accounts.length === 1) {
      const account = accounts[0]!
      // Look the account up first: a missing or wrong token or an unknown account stops here, before
      // the store is opened or anything appended.
      const user = yield* lookupAccount(account)
      const lines = yield* Effect.gen(function* () {
        const summary = yield* ingestAccount(user, options(account))
        yield* catchUpProjections
        return renderSummary(summary)
      }).pipe(Effect.provide(StoreLayer))
      for (const line of lines) yield* Console.log(line)
      return
    }
    const outcome = yield* ingestAccounts(accounts, options)
    for (const r of outcome.results) {
      if (r._tag === "Ingested") for (const line of renderSummary(r.summary)) yield* Console.log(line)
      else yield* Console.error(`@${r.account}: not ingested: ${errorLine(r.error)}`)
    }
    const failed = outcome.results.filter((r) => r._tag === "Failed").map((r) => r.account)
    if (failed.length > 0) return yield* new IngestAccountsFailed({ failed, of: accounts.length })
  }).pipe(Effect.provide(XLayer))
