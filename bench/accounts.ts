/**
 * `npm run bench -- accounts`: many accounts in one store. On PostgreSQL, 1,000 accounts x 2,000 tweets
 * (2 million TweetObserved events, appended account by account in appendMany calls of 2,000 one-event
 * streams, as an import writes them) and projected (tweets, hourly_counts, daily_counts caught up
 * together); on the embedded store, 100 accounts (200,000 events). Reported: events/s of the append and
 * of the projection, the latency of `counts --daily` (90 days) for one account among all of them (p50,
 * p99 over 200 accounts), and the peak RSS.
 *
 * Targets: append and projection no slower than the single-account figures of the code before accounts
 * (SINGLE_ACCOUNT_BEFORE_ACCOUNTS below), and the query's p99 <= 20 ms on PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer } from "effect"
import { sql } from "kysely"
import { EventStoreSql } from "../src/adapters/event-store/sql"
import { createScratchDatabase } from "../src/adapters/sql/admin"
import { SqlDatabase } from "../src/adapters/sql/database"
import { migrated } from "../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../src/adapters/sql/pglite"
import { SqlDatabasePostgres } from "../src/adapters/sql/postgres"
import { ExpectedRevision } from "../src/domain/events/envelope"
import { TweetObserved } from "../src/domain/events/tweet"
import { snowflakeIdAt } from "../src/domain/ingestion/tweet-id"
import { EventStore, type StreamAppend } from "../src/domain/ports/event-store"
import { DAY_MS, toIsoUtc } from "../src/domain/time"
import { dailyCountsProjection, hourlyCountsProjection } from "../src/projections/counts"
import { dailyCounts } from "../src/projections/queries/counts"
import { catchUp } from "../src/projections/runtime"
import { tweetsProjection } from "../src/projections/tweets"
import { atLeast, atMost, peakRssMiB, report, type BenchResult, type BenchTarget } from "./lib"

const TWEETS_PER_ACCOUNT = 2_000
const POSTGRES_ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000)
const PGLITE_ACCOUNTS = Math.max(1, Math.round(POSTGRES_ACCOUNTS / 10))
const QUERIED_ACCOUNTS = 200
/** The accounts' tweets span these days, ending here (like a 90-day `counts --daily`). */
const SPAN_DAYS = 120
const END = Date.UTC(2025, 11, 1)
const KINDS = ["post", "reply", "quote", "retweet"] as const

const accountName = (i: number): string => `acct_${String(i).padStart(4, "0")}`

/** Tweets `from..to` of account `i` as appends: times spread over the span, ids unique across accounts. */
const accountAppends = (i: number, perAccount: number, from: number, to: number): StreamAppend[] => {
  const account = accountName(i)
  const step = Math.floor((SPAN_DAYS * DAY_MS) / perAccount)
  const out: StreamAppend[] = []
  for (let j = from; j < to; j++) {
    const ms = END - SPAN_DAYS * DAY_MS + j * step + ((i * 7919 + j * 104_729) % step)
    const a = TweetObserved.toAppend(
      {
        tweetId: snowflakeIdAt(ms, i + (j % 4) * 1024),
        authorId: String(1_000_000 + i),
        account,
        createdAt: toIsoUtc(ms),
        kind: KINDS[(i + j) % 4]!,
        referencedIds: [],
        observedAt: "2025-12-02T00:00:00Z",
        source: "import"
      },
      { codeVersion: "bench" }
    )
    out.push({ stream: a.stream, events: [a.event], expected: ExpectedRevision.noStream })
  }
  return out
}

interface Measured {
  readonly accounts: number
  readonly events: number
  readonly appendSeconds: number
  readonly projectSeconds: number
  readonly queryMs: ReadonlyArray<number>
  readonly peakRssMiB: number
  /** Rows the projection left in tweets + hourly_counts + daily_counts per event: the write work per event. */
  readonly rowsPerEvent: number
}

const measure = (database: Layer.Layer<SqlDatabase, unknown>, accounts: number, perAccount = TWEETS_PER_ACCOUNT): Promise<Measured> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* EventStore
        // Only the appends are timed: building and encoding the events is the benchmark's own work.
        let appendSeconds = 0
        for (let i = 0; i < accounts; i++)
          for (let from = 0; from < perAccount; from += TWEETS_PER_ACCOUNT) {
            const batch = accountAppends(i, perAccount, from, Math.min(perAccount, from + TWEETS_PER_ACCOUNT))
            const t0 = performance.now()
            yield* store.appendMany(batch)
            appendSeconds += (performance.now() - t0) / 1000
          }
        const t1 = performance.now()
        const projected = yield* catchUp([tweetsProjection, hourlyCountsProjection, dailyCountsProjection])
        const projectSeconds = (performance.now() - t1) / 1000
        if (projected.events !== accounts * perAccount) throw new Error(`projected ${projected.events} events, expected ${accounts * perAccount}`)
        // counts --daily for one account: the 90 days up to the end of its data.
        const queryMs: number[] = []
        for (let q = 0; q < QUERIED_ACCOUNTS; q++) {
          const account = accountName((q * 7 + 3) % accounts)
          const t = performance.now()
          const days = yield* dailyCounts({ account, from: END - 90 * DAY_MS, to: END })
          queryMs.push(performance.now() - t)
          const total = days.reduce((s, d) => s + d.count, 0)
          if (days.length !== 90 || total < perAccount * 0.7) throw new Error(`${account}: ${days.length} days, ${total} tweets`)
        }
        const { db } = yield* SqlDatabase
        const rows = yield* Effect.promise(() =>
          sql<{ n: string }>`select (select count(*) from tweets) + (select count(*) from hourly_counts) + (select count(*) from daily_counts) as n`.execute(db)
        )
        const rowsPerEvent = Number(rows.rows[0]!.n) / (accounts * perAccount)
        return { accounts, events: accounts * perAccount, appendSeconds, projectSeconds, queryMs, peakRssMiB: peakRssMiB(), rowsPerEvent }
      }).pipe(Effect.provide(Layer.provideMerge(EventStoreSql, migrated(database))))
    )
  )

const quantile = (xs: ReadonlyArray<number>, p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}

/**
 * The single-account figures the issue measures against, pinned: "today's" is the code before accounts
 * (commit 2734271). Appends: bench/results/store.json at that commit. Projection: that commit's
 * projector.json has no like-for-like figure (its catch_up_three had only daily_counts behind), so the
 * three projections caught up from empty tables in one pass (projector's catch_up_three_from_zero)
 * were measured on that commit's code on this machine, in 5 runs alternating with newer code on
 * 2026-12-03; the median is pinned. Pinned, not read from the latest results: a baseline that moves
 * with every improvement of the single-account path measures nothing about many accounts.
 */
const SINGLE_ACCOUNT_BEFORE_ACCOUNTS = {
  append_postgres: 23_548.4,
  append_pglite: 21_476.9,
  project_postgres: 27_596,
  project_pglite: 17_434
} as const

const against = (name: string, value: number, baseline: keyof typeof SINGLE_ACCOUNT_BEFORE_ACCOUNTS): BenchTarget =>
  atLeast(name, value, "events/s", SINGLE_ACCOUNT_BEFORE_ACCOUNTS[baseline])

export default async function run(): Promise<BenchResult> {
  const loadBefore = loadavg()[0]!
  const notes: string[] = []
  const targets: BenchTarget[] = []
  const details: Record<string, unknown> = {}
  const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
  try {
    // Today's single-account figures on this machine, now: one account with as many tweets as the
    // embedded run's 100 accounts hold together, the same code and event shape.
    const single = await createScratchDatabase(adminUrl, "mt_bench_accounts_one_")
    let one: Measured
    try {
      one = await measure(SqlDatabasePostgres(single.url), 1, PGLITE_ACCOUNTS * TWEETS_PER_ACCOUNT)
    } finally {
      await single.drop()
    }
    targets.push(report(`append_postgres, one account (${one.events} events, this run)`, one.events / one.appendSeconds, "events/s"))
    targets.push(report(`project_postgres, one account (${one.events} events, this run)`, one.events / one.projectSeconds, "events/s"))
    targets.push(report("read-model rows per event, one account", one.rowsPerEvent, "rows"))
    const scratch = await createScratchDatabase(adminUrl, "mt_bench_accounts_")
    try {
      const pg = await measure(SqlDatabasePostgres(scratch.url), POSTGRES_ACCOUNTS)
      targets.push(report("append_postgres, many accounts / one account (this run)", pg.events / pg.appendSeconds / (one.events / one.appendSeconds), "ratio"))
      targets.push(report("project_postgres, many accounts / one account (this run)", pg.events / pg.projectSeconds / (one.events / one.projectSeconds), "ratio"))
      targets.push(against(`append_postgres (${pg.accounts} accounts x ${TWEETS_PER_ACCOUNT})`, pg.events / pg.appendSeconds, "append_postgres"))
      targets.push(against(`project_postgres (tweets + hourly + daily counts, ${pg.events} events)`, pg.events / pg.projectSeconds, "project_postgres"))
      targets.push(atMost(`counts --daily, one account among ${pg.accounts}, p99 (postgres)`, quantile(pg.queryMs, 0.99), "ms", 20))
      targets.push(report(`counts --daily, one account among ${pg.accounts}, p50 (postgres)`, quantile(pg.queryMs, 0.5), "ms"))
      targets.push(report("peak_rss after postgres", pg.peakRssMiB, "MiB"))
      targets.push(report(`read-model rows per event, ${pg.accounts} accounts`, pg.rowsPerEvent, "rows"))
      details.postgres = { accounts: pg.accounts, events: pg.events, appendSeconds: pg.appendSeconds, projectSeconds: pg.projectSeconds }
    } finally {
      await scratch.drop()
    }
  } catch (e) {
    notes.push(`PostgreSQL skipped: ${e instanceof Error ? e.message : String(e)}`)
  }
  const dir = mkdtempSync(join(tmpdir(), "mt-bench-accounts-"))
  try {
    const lite = await measure(SqlDatabasePglite(join(dir, "store")), PGLITE_ACCOUNTS)
    targets.push(against(`append_pglite (${lite.accounts} accounts x ${TWEETS_PER_ACCOUNT})`, lite.events / lite.appendSeconds, "append_pglite"))
    targets.push(against(`project_pglite (tweets + hourly + daily counts, ${lite.events} events)`, lite.events / lite.projectSeconds, "project_pglite"))
    targets.push(report(`counts --daily, one account among ${lite.accounts}, p99 (pglite)`, quantile(lite.queryMs, 0.99), "ms"))
    targets.push(report("peak_rss after pglite", lite.peakRssMiB, "MiB"))
    details.pglite = { accounts: lite.accounts, events: lite.events, appendSeconds: lite.appendSeconds, projectSeconds: lite.projectSeconds }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  targets.push(report("load average at start", loadBefore, ""))
  notes.push(
    "append and projection targets are the single-account figures of the code before accounts (commit 2734271), pinned in SINGLE_ACCOUNT_BEFORE_ACCOUNTS: its store.json appends, and its three projections caught up from empty tables (median of 5 runs on this machine); this machine's speed varies by 2x between runs, so the run also measures one account with the same code and reports the ratios",
    "the projection writes more rows per event with many accounts (each account's tweets fall in their own hours and days, so hourly_counts and daily_counts get a row for almost every tweet): read-model rows per event are reported for both runs, and events/s should be read against them"
  )
  return { targets, notes, details }
}
