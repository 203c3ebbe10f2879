/**
 * `npm run bench -- projector`: rebuild a counting projection (`hourly_counts`) from 100k TweetObserved
 * events, on PostgreSQL and on embedded PGlite: events/s and peak RSS.
 * Targets on the 2-core machine: rebuild >= 50k events/s on PostgreSQL, >= 20k events/s on PGlite.
 *
 * The events are the 70,233 rows of the shared CSV plus a copy of the first 29,767 shifted by three
 * years (new ids), so buckets and kinds look like the real log. Also reported: rebuilding `tweets`
 * (one row per event) and catching up tweets + hourly_counts + daily_counts together from zero, and
 * reading the log alone (the floor under any rebuild).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer, Stream } from "effect"
import { EventStoreSql } from "../src/adapters/event-store/sql"
import { createScratchDatabase } from "../src/adapters/sql/admin"
import type { SqlDatabase } from "../src/adapters/sql/database"
import { migrated } from "../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../src/adapters/sql/pglite"
import { SqlDatabasePostgres } from "../src/adapters/sql/postgres"
import { ExpectedRevision } from "../src/domain/events/envelope"
import { TweetObserved } from "../src/domain/events/tweet"
import { EventStore, type StreamAppend } from "../src/domain/ports/event-store"
import { toIsoUtc } from "../src/domain/time"
import { dailyCountsProjection, hourlyCountsProjection } from "../src/projections/counts"
import { rebuild } from "../src/projections/rebuild"
import { catchUp } from "../src/projections/runtime"
import { tweetsProjection } from "../src/projections/tweets"
import { TWEETS_CSV } from "./data"
import { atLeast, peakRssMiB, report, type BenchResult, type BenchTarget } from "./lib"

export const EVENTS = 100_000
const THREE_YEARS_MS = 3 * 365 * 86_400_000

/** 100k TweetObserved appends (one stream each), in appendMany chunks of 5,000. */
const buildAppends = (): StreamAppend[][] => {
  const lines = readFileSync(TWEETS_CSV, "utf8").trim().split("\n").slice(1)
  const appends: StreamAppend[] = []
  for (let i = 0; appends.length < EVENTS; i++) {
    const [id, created, kind] = lines[i % lines.length]!.split(",")
    const copy = Math.floor(i / lines.length)
    const a = TweetObserved.toAppend(
      {
        tweetId: copy === 0 ? id! : (BigInt(id!) + BigInt(copy)).toString(),
        authorId: "44196397",
        account: "elonmusk",
        createdAt: toIsoUtc(Date.parse(created!) + copy * THREE_YEARS_MS),
        kind: kind as "post" | "retweet",
        referencedIds: [],
        observedAt: "2026-01-01T00:00:00Z",
        source: "import"
      },
      { codeVersion: "bench" }
    )
    appends.push({ stream: a.stream, events: [a.event], expected: ExpectedRevision.noStream })
  }
  const chunks: StreamAppend[][] = []
  for (let i = 0; i < appends.length; i += 5_000) chunks.push(appends.slice(i, i + 5_000))
  return chunks
}

interface Measured {
  readonly appendSeconds: number
  readonly readAllSeconds: number
  readonly rebuildCountsSeconds: number
  readonly rebuildCountsRssMiB: number
  readonly rebuildTweetsSeconds: number
  readonly catchUpSeconds: number
  readonly peakRssMiB: number
}

const measure = async (database: Layer.Layer<SqlDatabase, unknown>, chunks: StreamAppend[][]): Promise<Measured> => {
  const layer = EventStoreSql.pipe(Layer.provideMerge(migrated(database)))
  const program = Effect.gen(function* () {
    const store = yield* EventStore
    const time = <A, E>(e: Effect.Effect<A, E, EventStore | SqlDatabase>) =>
      Effect.gen(function* () {
        const t0 = performance.now()
        const a = yield* e
        return [(performance.now() - t0) / 1000, a] as const
      })
    const [appendSeconds] = yield* time(Effect.forEach(chunks, (c) => store.appendMany(c), { discard: true }))
    const [readAllSeconds, read] = yield* time(Stream.runCount(store.readAll({ batchSize: 5_000 })))
    if (read !== EVENTS) throw new Error(`expected ${EVENTS} events, read ${read}`)
    const [rebuildCountsSeconds, counts] = yield* time(rebuild(hourlyCountsProjection))
    if (counts.events !== EVENTS) throw new Error(`rebuild replayed ${counts.events} events`)
    const rebuildCountsRssMiB = peakRssMiB()
    const [rebuildTweetsSeconds] = yield* time(rebuild(tweetsProjection))
    const [catchUpSeconds, caught] = yield* time(catchUp([tweetsProjection, hourlyCountsProjection, dailyCountsProjection]))
    // tweets and hourly_counts were just rebuilt: only daily_counts starts from zero here.
    if (caught.events !== EVENTS) throw new Error(`catch-up read ${caught.events} events`)
    return { appendSeconds, readAllSeconds, rebuildCountsSeconds, rebuildCountsRssMiB, rebuildTweetsSeconds, catchUpSeconds, peakRssMiB: peakRssMiB() }
  })
  return Effect.runPromise(Effect.provide(program, layer) as Effect.Effect<Measured, unknown>)
}

export default async function run(): Promise<BenchResult> {
  const load = [loadavg()[0]!]
  const chunks = buildAppends()
  const notes: string[] = []
  const targets: BenchTarget[] = []
  const details: Record<string, unknown> = {}
  const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"

  // PostgreSQL first: PGlite's WASM heap would otherwise dominate the process's peak RSS.
  let pg: Measured | undefined
  try {
    const scratch = await createScratchDatabase(adminUrl, "mt_bench_")
    try {
      pg = await measure(SqlDatabasePostgres(scratch.url), chunks)
    } finally {
      await scratch.drop()
    }
  } catch (e) {
    notes.push(`PostgreSQL failed or unreachable: ${e instanceof Error ? e.message : String(e)}`)
  }
  load.push(loadavg()[0]!)
  const dir = mkdtempSync(join(tmpdir(), "mt-bench-projector-"))
  let lite: Measured
  try {
    lite = await measure(SqlDatabasePglite(join(dir, "store")), chunks)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  load.push(loadavg()[0]!)

  targets.push(atLeast("rebuild_counts_postgres", pg ? EVENTS / pg.rebuildCountsSeconds : 0, "events/s", 50_000))
  if (pg) {
    targets.push(report("rebuild_counts_postgres_peak_rss", pg.rebuildCountsRssMiB, "MiB"))
    targets.push(report("rebuild_tweets_postgres", EVENTS / pg.rebuildTweetsSeconds, "events/s"))
    targets.push(report("catch_up_three_postgres", EVENTS / pg.catchUpSeconds, "events/s"))
    targets.push(report("read_all_postgres", EVENTS / pg.readAllSeconds, "events/s"))
  }
  targets.push(atLeast("rebuild_counts_pglite", EVENTS / lite.rebuildCountsSeconds, "events/s", 20_000))
  targets.push(report("rebuild_counts_pglite_peak_rss", lite.rebuildCountsRssMiB, "MiB"))
  targets.push(report("rebuild_tweets_pglite", EVENTS / lite.rebuildTweetsSeconds, "events/s"))
  targets.push(report("catch_up_three_pglite", EVENTS / lite.catchUpSeconds, "events/s"))
  targets.push(report("read_all_pglite", EVENTS / lite.readAllSeconds, "events/s"))
  details.postgres = pg
  details.pglite = lite

  return {
    targets,
    notes: [
      `${EVENTS} TweetObserved events (the shared CSV plus a shifted copy), one stream each; rebuild = replay from position 0 into a scratch schema in batches of 5,000 (decode, pure handler, coalesced upserts, one transaction per batch), then swap into the live table in one transaction`,
      "rebuild_counts: hourly_counts (a counting projection); rebuild_tweets: one row per event; catch_up_three: tweets + hourly_counts + daily_counts in one pass (daily_counts from zero)",
      "peak RSS is the process's maxRSS after the counting rebuild (PostgreSQL measured first, so its figure excludes PGlite's WASM heap)",
      `1-minute load average ${load.map((l) => l.toFixed(1)).join(" / ")} (start / after PostgreSQL / after PGlite) on 2 cores shared with other work`,
      ...notes
    ],
    details
  }
}
