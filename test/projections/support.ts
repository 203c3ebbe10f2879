/**
 * Shared by the projection tests: a migrated store per backend (real PGlite in a temp directory, real
 * PostgreSQL in a throwaway database), TweetObserved events, a toy projection that exercises every
 * kind of Write, and independent oracles computed here (never by the code under test).
 */
import { join } from "node:path"
import { Effect, Layer, ManagedRuntime } from "effect"
import { sql, type Kysely } from "kysely"
import { afterAll, beforeAll } from "vitest"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { SqlDatabase } from "../../src/adapters/sql/database"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { SqlDatabasePostgres } from "../../src/adapters/sql/postgres"
import { ExpectedRevision, type NewEvent } from "../../src/domain/events/envelope"
import { TweetObserved } from "../../src/domain/events/tweet"
import { EventStore, type StreamAppend } from "../../src/domain/ports/event-store"
import type { Projection } from "../../src/projections/projection"
import { UntypedWrite as Write } from "../../src/projections/write"
import { withTempDatabase } from "../support/postgres"
import { withTempDataDir } from "../support/pglite"
import { sharedRows } from "../support/shared-data"

export type Backend = "pglite" | "postgres"
export type Services = SqlDatabase | EventStore
export type Kind = "post" | "reply" | "quote" | "retweet"

/** A ManagedRuntime over a migrated store on `backend`, built before the file's tests, disposed after. */
export const withStore = (backend: Backend) => {
  const pg = backend === "postgres" ? withTempDatabase() : undefined
  const dir = backend === "pglite" ? withTempDataDir("mt-proj-") : undefined
  let rt: ManagedRuntime.ManagedRuntime<Services, unknown> | undefined
  beforeAll(async () => {
    const database = migrated(backend === "postgres" ? SqlDatabasePostgres(pg!.url()) : SqlDatabasePglite(join(dir!, "store")))
    rt = ManagedRuntime.make(EventStoreSql.pipe(Layer.provideMerge(database)))
    await rt.runPromise(Effect.void)
  })
  afterAll(async () => {
    await rt?.dispose()
  })
  const run = <A, E>(effect: Effect.Effect<A, E, Services>): Promise<A> => rt!.runPromise(effect)
  const db = (): Promise<Kysely<any>> => run(Effect.map(SqlDatabase, (s) => s.db))
  return { run, db }
}

export interface TweetSpec {
  readonly id: string
  readonly createdAt: number
  readonly kind: Kind
  /** Default elonmusk. */
  readonly account?: string
  /** How it was observed (default: the `source` argument of `observed`). */
  readonly source?: "api" | "import"
}

const context = { codeVersion: "musktracker@test" }

export const observed = (t: TweetSpec, source: "api" | "import" = "import") =>
  TweetObserved.toAppend(
    {
      tweetId: t.id,
      authorId: "44196397",
      account: t.account ?? "elonmusk",
      createdAt: toIso(t.createdAt),
      kind: t.kind,
      referencedIds: [],
      observedAt: "2025-12-31T00:00:00Z",
      source: t.source ?? source
    },
    context
  )

/** ISO with a Z, second precision when whole: the canonical spelling the schema demands. */
const toIso = (ms: number): string => {
  const s = new Date(ms).toISOString()
  return s.endsWith(".000Z") ? s.slice(0, -5) + "Z" : s
}

/**
 * A log entry of the tests: a first observation of a tweet (new stream), or a re-observation appended
 * to an existing tweet stream (revision > 0, a different event id), which must not count again.
 */
export type LogEntry = { readonly _tag: "first"; readonly tweet: TweetSpec } | { readonly _tag: "again"; readonly tweet: TweetSpec; readonly n: number }

export const appendsFor = (entries: ReadonlyArray<LogEntry>): StreamAppend[] =>
  entries.map((e) => {
    const a = observed(e.tweet)
    if (e._tag === "first") return { stream: a.stream, events: [a.event], expected: ExpectedRevision.noStream }
    const again: NewEvent = { ...a.event, id: crypto.randomUUID() }
    return { stream: a.stream, events: [again], expected: ExpectedRevision.any }
  })

/** Appends in chunks, each chunk one transaction. */
export const appendAll = (entries: ReadonlyArray<LogEntry>, chunk = 2_000) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const appends = appendsFor(entries)
    for (let i = 0; i < appends.length; i += chunk) yield* store.appendMany(appends.slice(i, i + chunk))
  })

/** Empties the log, the checkpoints and every read model of the tests (each test file owns its database). */
export const resetAll = async (db: Kysely<any>): Promise<void> => {
  await sql`truncate events, projection_checkpoints, tweets, hourly_counts, daily_counts`.execute(db)
  await sql`create table if not exists toy (k text primary key, s text, n integer not null default 0, last numeric)`.execute(db)
  await sql`truncate toy`.execute(db)
}

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/**
 * A toy projection over TweetObserved that uses all four Write kinds, so the order of writes matters:
 * posts increment an hour-of-day-mod-5 counter; replies upsert slot (id mod 4) with the position;
 * quotes merge a column of that slot; retweets delete the slot and increment "r". Like the real
 * projections it ignores re-observations (revision > 0).
 */
export const toyProjection: Projection = {
  name: "toy",
  tables: ["toy"],
  eventTypes: ["TweetObserved"],
  handle: (event, position) => {
    if (!TweetObserved.is(event) || event.revision !== 0) return []
    const d = event.data
    const slot = `t${BigInt(d.tweetId) % 4n}`
    switch (d.kind) {
      case "post":
        return [Write.increment("toy", { k: `h${new Date(d.createdAt).getUTCHours() % 5}` }, { n: 1 })]
      case "reply":
        return [Write.upsert("toy", { k: slot, s: d.tweetId, last: position.toString() })]
      case "quote":
        return [Write.merge("toy", { k: slot, s: `q${d.tweetId}` })]
      case "retweet":
        return [Write.delete("toy", { k: slot }), Write.increment("toy", { k: "r" }, { n: 1 })]
    }
  }
}

/** The events as the log holds them, with positions 1.. in append order (tests start from an empty log). */
export const positioned = (entries: ReadonlyArray<LogEntry>) => entries.map((e, i) => ({ ...e, position: BigInt(i + 1) }))

/** Independent oracle: every read model after applying the entries with position <= `through`. */
export const oracle = (entries: ReadonlyArray<LogEntry>, through: bigint) => {
  const seen = new Set<string>()
  const hourly = new Map<string, number>()
  const daily = new Map<string, number>()
  const tweets: Array<[string, number, Kind, string]> = []
  const toy = new Map<string, { k: string; s: string | null; n: number; last: string | null }>()
  const slot = (k: string) => toy.get(k) ?? { k, s: null, n: 0, last: null }
  for (const e of positioned(entries)) {
    if (e.position > through) break
    if (e._tag === "again") continue // revision > 0: not handled by any projection here
    const t = e.tweet
    if (seen.has(t.id)) throw new Error(`test bug: tweet ${t.id} observed first twice`)
    seen.add(t.id)
    const h = Math.floor(t.createdAt / HOUR) * HOUR
    const d = Math.floor(t.createdAt / DAY) * DAY
    const a = t.account ?? "elonmusk"
    hourly.set(`${a}|${h}|${t.kind}`, (hourly.get(`${a}|${h}|${t.kind}`) ?? 0) + 1)
    daily.set(`${a}|${d}|${t.kind}`, (daily.get(`${a}|${d}|${t.kind}`) ?? 0) + 1)
    tweets.push([t.id, t.createdAt, t.kind, e.position.toString()])
    const s = `t${BigInt(t.id) % 4n}`
    if (t.kind === "post") {
      const k = `h${new Date(t.createdAt).getUTCHours() % 5}`
      toy.set(k, { ...slot(k), n: slot(k).n + 1 })
    } else if (t.kind === "reply") toy.set(s, { k: s, s: t.id, n: 0, last: e.position.toString() })
    else if (t.kind === "quote") toy.set(s, { ...slot(s), s: `q${t.id}` })
    else {
      toy.delete(s)
      toy.set("r", { ...slot("r"), n: slot("r").n + 1 })
    }
  }
  const counts = (m: Map<string, number>) =>
    [...m.entries()]
      .map(([k, n]) => {
        const [account, ms, kind] = k.split("|")
        return [account!, Number(ms), kind!, n] as [string, number, string, number]
      })
      .sort(compareRows)
  return {
    hourly: counts(hourly),
    daily: counts(daily),
    tweets: tweets.sort(compareRows),
    toy: [...toy.values()].map((r) => [r.k, r.s, r.n, r.last] as const).sort(compareRows)
  }
}

const compareRows = (a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number | null
    const y = b[i] as string | number | null
    if (x === y) continue
    if (x === null) return -1
    if (y === null) return 1
    return x < y ? -1 : 1
  }
  return 0
}

/** The read models as plain rows in the oracle's shapes, sorted. */
export const dump = async (db: Kysely<any>) => {
  const counts = async (table: string) =>
    (
      await sql<{ account: string; ms: number; kind: string; count: number }>`
        select account, (extract(epoch from bucket_start) * 1000)::float8 as ms, kind, count from ${sql.table(table)}`.execute(db)
    ).rows
      .map((r) => [r.account, Number(r.ms), r.kind, Number(r.count)] as [string, number, string, number])
      .sort(compareRows)
  const tweets = (
    await sql<{ id: string; ms: number; kind: Kind; position: string }>`
      select id, (extract(epoch from created_at) * 1000)::float8 as ms, kind, position::text as position from tweets`.execute(db)
  ).rows
    .map((r) => [r.id, Number(r.ms), r.kind, r.position] as [string, number, Kind, string])
    .sort(compareRows)
  const toy = (await sql<{ k: string; s: string | null; n: number; last: string | null }>`select k, s, n, last::text as last from toy`.execute(db)).rows
    .map((r) => [r.k, r.s, Number(r.n), r.last] as const)
    .sort(compareRows)
  return { hourly: await counts("hourly_counts"), daily: await counts("daily_counts"), tweets, toy }
}

/**
 * Checkpoints and tables read in one repeatable-read transaction: one snapshot, so a batch that an
 * interrupted run had already sent and that commits meanwhile is either wholly in it or wholly not.
 */
export const snapshotOf = (db: Kysely<any>) =>
  db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => ({ checkpoints: await checkpointsOf(trx), tables: await dump(trx) }))

export const checkpointsOf = async (db: Kysely<any>): Promise<Record<string, string>> => {
  const r = await sql<{ name: string; position: string }>`select name, position::text as position from projection_checkpoints order by name`.execute(db)
  return Object.fromEntries(r.rows.map((x) => [x.name, x.position]))
}

/** The first `n` rows of the shared CSV (read in place, never copied). */
export const csvRows = (n: number): TweetSpec[] => sharedRows().slice(0, n).map((r) => ({ id: r.id, createdAt: r.createdAt, kind: r.kind as Kind }))
