/**
 * Migrations 0044 and 0045 (accounts) upgrade a store made by the previous release in place, and 0047
 * (forecast calibration) one made by release 46.
 *
 * The previous release's store: migrated to version 43, its log holding what that release recorded
 * (tweets of @elonmusk; fits, a backtest and forecasts whose events name no account), and its read
 * models filled by that release's projections — today's handlers without the account column, which is
 * all this release changed in their output. After `migrate up` and a catch-up with today's
 * projections, every read model equals a fresh rebuild from the log (`verify`), equals the tables of a
 * store built fresh at version 44 from the same events, and no event was rewritten.
 */
import { Effect, Layer, ManagedRuntime, Option, Stream } from "effect"
import { sql, type Kysely } from "kysely"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readArchive } from "../../../src/adapters/archive/read-archive"
import { EventStoreSql } from "../../../src/adapters/event-store/sql"
import { SqlDatabase } from "../../../src/adapters/sql/database"
import { migrations } from "../../../src/adapters/sql/migrations"
import { migrated, migrateUp } from "../../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../../src/adapters/sql/pglite"
import { latestFitOrigin, latestOrigins } from "../../../src/domain/backtest/origins"
import { ExpectedRevision, type RecordedEvent } from "../../../src/domain/events/envelope"
import { EventStore, type StreamAppend } from "../../../src/domain/ports/event-store"
import { DAY_MS, hourFloor, toIsoUtc, WEEK_MS } from "../../../src/domain/time"
import { addEvent } from "../../../src/programs/enrich/program"
import { catchUpProjections } from "../../../src/programs/catch-up"
import { issueForecast } from "../../../src/programs/forecast/issue"
import { importRows } from "../../../src/programs/import/program"
import { loadKnowledge } from "../../../src/programs/knowledge"
import { runBacktest } from "../../../src/programs/train/backtest-run"
import { fitLatest } from "../../../src/programs/train/fit-latest"
import type { Projection } from "../../../src/projections/projection"
import { projections } from "../../../src/projections/registry"
import { catchUp } from "../../../src/projections/runtime"
import type { Write } from "../../../src/projections/write"
import { verifyAll } from "../../../src/projections/verify"
import { recordingConsole } from "../../support/cli"
import { withTempDataDir } from "../../support/pglite"
import { SHARED_CSV } from "../../support/shared-data"

const ALL = ["post", "reply", "quote", "retweet"] as const
const root = withTempDataDir("mt-migrate-accounts-")

const storeLayer = (dir: string, versionAtMost = Number.POSITIVE_INFINITY) =>
  Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(join(root, dir)), migrations.filter((m) => m.version <= versionAtMost))).pipe(
    Layer.provideMerge(recordingConsole())
  )
type Services = Layer.Layer.Success<ReturnType<typeof storeLayer>>
const runtimes: Array<ManagedRuntime.ManagedRuntime<Services, unknown>> = []
const open = (dir: string, versionAtMost?: number) => {
  const rt = ManagedRuntime.make(storeLayer(dir, versionAtMost))
  runtimes.push(rt)
  return <A, E>(effect: Effect.Effect<A, E, Services>) => rt.runPromise(effect)
}
const dbOf = Effect.map(SqlDatabase, (s) => s.db as Kysely<any>)

/** Tables whose rows this release keys by account. */
const KEYED = new Set(["hourly_counts", "daily_counts", "backtests", "models", "forecasts", "exogenous_events"])
/** Events that name their account from this release on. */
const NAMING = new Set(["BacktestStarted", "ModelFitted", "ForecastIssued"])

const without =
  (column: string) =>
  <V>(row: Readonly<Record<string, V>>): Record<string, V> =>
    Object.fromEntries(Object.entries(row).filter(([k]) => k !== column))
const withoutAccount = without("account")
/** Columns a release did not have yet: the tables that lack each. */
type Missing = ReadonlyArray<readonly [column: string, tables: ReadonlySet<string>]>
/** A write of today's handlers as a release without the `missing` columns made it. */
const olderWrite =
  (missing: Missing) =>
  (w: Write): Write =>
    missing.reduce<Write>((acc, [column, tables]) => {
      if (!tables.has(acc.table)) return acc
      switch (acc._tag) {
        case "Upsert":
        case "Merge":
          return { ...acc, row: without(column)(acc.row) }
        case "Increment":
        case "Delete":
          return { ...acc, key: without(column)(acc.key) }
      }
    }, w)
const olderProjections = (missing: Missing): ReadonlyArray<Projection> =>
  projections.map((p) => ({ ...p, handle: (e, position) => p.handle(e, position).map(olderWrite(missing)) }))
const CALIBRATION = ["calibration", new Set(["forecasts"])] as const
/** The previous release's projections: today's handlers without the account column (nor 0047's calibration). */
const legacyProjections = olderProjections([["account", KEYED], CALIBRATION])
/** The projections of release 46: today's handlers without `forecasts.calibration` (migration 0047). */
const release46Projections = olderProjections([CALIBRATION])

/** Every read-model table as sorted JSON rows (log positions included: they must agree too). */
const tables = (db: Kysely<any>) =>
  Effect.promise(async () => {
    const out: Record<string, string[]> = {}
    for (const t of ["tweets", "hourly_counts", "daily_counts", "backtests", "backtest_windows", "backtest_summaries", "models", "forecasts", "forecast_hours", "forecast_brackets", "exogenous_events"]) {
      const r = await sql<{ j: string }>`select row_to_json(x)::text as j from ${sql.table(t)} x`.execute(db)
      // started_at/completed_at/issued_at/fitted_at: when the event was recorded, the same events in both stores.
      out[t] = r.rows.map((row) => row.j).sort()
    }
    return out
  })

let recorded: RecordedEvent[] = []

beforeAll(async () => {
  // What the previous release recorded, made here with today's programs in a scratch store and then
  // stripped of the account field those events did not have.
  const scratch = open("scratch")
  const rows = [...(await Effect.runPromise(readArchive(SHARED_CSV)))]
  const last = Math.max(...rows.map((r) => r.createdAt))
  // 24 weeks: ten backtest weeks for a calibrated forecast, each with the 64 days ewma_level needs.
  await scratch(importRows(rows.filter((r) => r.createdAt >= hourFloor(last) - 24 * WEEK_MS), "elonmusk", "csv slice"))
  await scratch(catchUpProjections)
  const none = Option.none()
  await scratch(addEvent({ name: "Earnings call", start: toIsoUtc(hourFloor(last) - 20 * DAY_MS), end: toIsoUtc(hourFloor(last) - 20 * DAY_MS + 3_600_000), intensity: "0.7", knownAt: none, kind: none, tag: [], account: none }))
  const loaded = await scratch(loadKnowledge({ account: "elonmusk", kinds: ALL }))
  const origin = latestFitOrigin(loaded.lastTweetAt!, Date.now())
  await scratch(
    fitLatest({ account: "elonmusk", knowledge: loaded.knowledge, watermark: loaded.watermark, models: ["seasonal_naive", "ewma_level"], trainWindow: { _tag: "Weeks", weeks: 3 }, origin, countKinds: ALL, workers: 1 })
  )
  await scratch(
    runBacktest({
      account: "elonmusk",
      knowledge: loaded.knowledge,
      watermark: loaded.watermark,
      models: ["seasonal_naive", "ewma_level"],
      origins: latestOrigins(origin, 10),
      trainWindow: { _tag: "Weeks", weeks: 3 },
      protocol: "custom",
      dataEnd: origin,
      paths: 300,
      seed: 5,
      workers: 1
    })
  )
  await scratch(issueForecast({ account: "elonmusk", model: "ewma_level", horizonHours: 48, brackets: [{ label: "0-99", lo: 0, hi: 99 }, { label: "100+", lo: 100, hi: null }], countKinds: ALL, paths: 500, seed: 3, now: Date.now() }))
  await scratch(issueForecast({ account: "elonmusk", model: "best", horizonHours: 24, countKinds: ALL, paths: 500, seed: 4, now: Date.now() }))
  await scratch(issueForecast({ account: "elonmusk", model: "seasonal_naive", calibrate: true, horizonHours: 168, countKinds: ALL, paths: 500, seed: 6, now: Date.now() }))
  recorded = await scratch(Effect.flatMap(EventStore, (s) => Stream.runCollect(s.readAll())).pipe(Effect.map((c) => [...c])))
}, 300_000)

afterAll(async () => {
  for (const rt of runtimes) await rt.dispose()
})

const legacyAppends = (events: ReadonlyArray<RecordedEvent>): StreamAppend[] =>
  events.map((e) => ({
    stream: e.stream,
    events: [{ id: e.id, type: e.type, data: NAMING.has(e.type) ? withoutAccount(e.data as Record<string, unknown>) : e.data, metadata: e.metadata }],
    expected: ExpectedRevision.any
  }))

describe("migration 0044 (accounts) on a store of the previous release", () => {
  it("upgrades in place: every read model equals a fresh rebuild, and no event is rewritten", async () => {
    expect(recorded.map((e) => e.type)).toEqual(expect.arrayContaining(["TweetObserved", "ExogenousEventCurated", "ModelFitted", "BacktestStarted", "BacktestCompleted", "ForecastIssued"]))
    const old = open("old", 43)
    await old(Effect.flatMap(EventStore, (s) => s.appendMany(legacyAppends(recorded))))
    await old(catchUp(legacyProjections))
    const db = await old(dbOf)
    const versions = await old(Effect.promise(() => sql<{ v: number }>`select max(version)::int as v from schema_migrations`.execute(db)))
    expect(versions.rows[0]!.v).toBe(43)
    const countsBefore = await old(Effect.promise(() => sql<{ n: string }>`select sum(count)::text as n from hourly_counts`.execute(db)))
    expect(Number(countsBefore.rows[0]!.n)).toBeGreaterThan(1000)
    const log = () => old(Effect.promise(() => sql<{ j: string }>`select row_to_json(e)::text as j from events e order by position`.execute(db)))
    const logBefore = (await log()).rows.map((r) => r.j)

    // The upgrade: migrate up, then the catch-up every command runs.
    const applied = await old(migrateUp())
    expect(applied.map((m) => m.version)).toEqual([44, 45, 46, 47])
    await old(catchUp(projections))
    expect((await log()).rows.map((r) => r.j)).toEqual(logBefore)
    for (const r of await old(verifyAll(projections))) expect([r.projection, r.differences]).toEqual([r.projection, 0])
    const upgraded = await old(tables(db))
    expect(upgraded.hourly_counts!.length).toBeGreaterThan(100)
    for (const t of ["hourly_counts", "daily_counts", "backtests", "models", "forecasts"])
      for (const row of upgraded[t]!) expect(JSON.parse(row).account, t).toBe("elonmusk")
    // Curated events recorded before are global: no account.
    expect(upgraded.exogenous_events!.map((row) => JSON.parse(row).account)).toEqual([null])
    const hourlyAfter = await old(Effect.promise(() => sql<{ n: string }>`select sum(count)::text as n from hourly_counts`.execute(db)))
    expect(hourlyAfter.rows[0]!.n).toBe(countsBefore.rows[0]!.n)

    // The same events in a store made fresh at version 44 give the same tables.
    const fresh = open("fresh")
    await fresh(Effect.flatMap(EventStore, (s) => s.appendMany(legacyAppends(recorded))))
    await fresh(catchUp(projections))
    const rebuilt = await fresh(Effect.flatMap(dbOf, tables))
    const withoutRecordedAt = (t: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(t).map(([k, rows]) => [k, rows.map((j) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(j)).filter(([c]) => !/(started|completed|issued|fitted)_at$/.test(c))))).sort()]))
    expect(withoutRecordedAt(upgraded)).toEqual(withoutRecordedAt(rebuilt))
  }, 300_000)
})

describe("migration 0047 (forecast calibration) on a store of release 46", () => {
  it("rebuilds the forecasts from the log with their calibration, and no event is rewritten", async () => {
    const calibrated = recorded.filter((e) => e.type === "ForecastIssued" && (e.data as { calibration?: unknown }).calibration !== undefined)
    expect(calibrated).toHaveLength(1)
    const old = open("release46", 46)
    await old(Effect.flatMap(EventStore, (s) => s.appendMany(recorded.map((e) => ({ stream: e.stream, events: [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata }], expected: ExpectedRevision.any })))))
    await old(catchUp(release46Projections))
    const db = await old(dbOf)
    const forecastRows = async () => (await old(Effect.promise(() => sql<{ n: string }>`select count(*)::text as n from forecasts`.execute(db)))).rows[0]!.n
    const before = await forecastRows()
    expect(Number(before)).toBeGreaterThanOrEqual(3)
    const log = () => old(Effect.promise(() => sql<{ j: string }>`select row_to_json(e)::text as j from events e order by position`.execute(db)))
    const logBefore = (await log()).rows.map((r) => r.j)

    expect((await old(migrateUp())).map((m) => m.version)).toEqual([47])
    await old(catchUp(projections))
    expect((await log()).rows.map((r) => r.j)).toEqual(logBefore)
    expect(await forecastRows()).toBe(before)
    for (const r of await old(verifyAll(projections))) expect([r.projection, r.differences]).toEqual([r.projection, 0])
    const rows = await old(Effect.promise(() => sql<{ id: string; calibration: unknown }>`select forecast_id::text as id, calibration from forecasts`.execute(db)))
    const byId = new Map(rows.rows.map((r) => [r.id, r.calibration]))
    const cal = calibrated[0]!.data as { forecastId: string; calibration: unknown }
    expect(byId.get(cal.forecastId)).toEqual(cal.calibration)
    expect([...byId.entries()].filter(([id]) => id !== cal.forecastId).every(([, c]) => c === null)).toBe(true)
  }, 300_000)
})
