/**
 * Shared by the ingest tests: synthetic accounts and posts served by the fake X server on 127.0.0.1,
 * an embedded store (real PGlite, in memory) shared by a test file, the X client wired to the fake
 * server with short waits, a store decorator that stops a run at a chosen write (a kill), and
 * oracles read back from the store (never computed by the code under test).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Cause, Chunk, Effect, Exit, Layer, Logger, LogLevel, ManagedRuntime, Stream } from "effect"
import { sql } from "kysely"
import { afterAll, beforeAll } from "vitest"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { SqlDatabase } from "../../src/adapters/sql/database"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { layerXApiClient, XApiClient } from "../../src/adapters/x-api/client"
import type { FakeTweet, FakeUser, FakeXServer } from "../../src/adapters/x-api/fake-server"
import type { XApiClientOptions } from "../../src/adapters/x-api/options"
import { snowflakeIdAt } from "../../src/domain/ingestion/tweet-id"
import { EventStore, type EventStoreService } from "../../src/domain/ports/event-store"
import { catchUpProjections } from "../../src/programs/catch-up"
import { configLayer } from "../adapters/x-api/helpers"

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

export type Services = SqlDatabase | EventStore
export type Kind = "post" | "reply" | "quote" | "retweet"

/** Short waits, no jitter: quick and deterministic retries. */
export const FAST: XApiClientOptions = {
  requestTimeout: 1_500,
  retry: { maxRetries: 8, baseDelay: 20, maxDelay: 200, jitter: false },
  rateLimit: { resetMargin: 50, maxWait: 10_000 }
}

const REF_TYPE: Record<Kind, string | undefined> = { post: undefined, reply: "replied_to", quote: "quoted", retweet: "retweeted" }
const KINDS: ReadonlyArray<Kind> = ["post", "reply", "quote", "retweet"]

export interface Served extends FakeTweet {
  readonly kind: Kind
  readonly ms: number
}

/**
 * `n` posts by `authorId`, the newest at `newestMs`, then one every `gapMs` further back. Kinds cycle
 * post, reply, quote, retweet (and every 7th post is a reply that quotes: a quote by X's precedence).
 * `salt` (0..1023) keeps ids of different accounts apart.
 */
export const makePosts = (authorId: string, n: number, newestMs: number, gapMs: number, salt: number): Served[] =>
  Array.from({ length: n }, (_, i) => {
    const ms = newestMs - i * gapMs
    const both = i % 7 === 6
    const kind: Kind = both ? "quote" : KINDS[i % 4]!
    const refs = both
      ? [
          { type: "replied_to", id: "1000" },
          { type: "quoted", id: "1001" }
        ]
      : REF_TYPE[kind]
        ? [{ type: REF_TYPE[kind]!, id: String(1000 + i) }]
        : undefined
    return {
      id: snowflakeIdAt(ms, salt * 4096 + (i % 4096)),
      created_at: new Date(ms).toISOString(),
      author_id: authorId,
      ...(refs ? { referenced_tweets: refs } : {}),
      kind,
      ms
    }
  })

export const user = (i: number): FakeUser => ({ id: String(900_000 + i), username: `acct${i}` })

/** The X client on `server` (token: the server's unless given; `null` means X_BEARER_TOKEN unset). */
export const clientLayer = (server: FakeXServer, token: string | null = server.token, options: XApiClientOptions = FAST) =>
  layerXApiClient(options).pipe(Layer.provide(NodeHttpClient.layer), Layer.provide(configLayer(server.url, token ?? undefined)))

/** Logs of the runs are dropped below Error (the tests assert on results, not on log lines). */
const quiet = Logger.minimumLogLevel(LogLevel.Error)

/** A migrated embedded store (PGlite in memory) for the calling test file. */
export const withEmbeddedStore = () => {
  let rt: ManagedRuntime.ManagedRuntime<Services, unknown> | undefined
  beforeAll(async () => {
    rt = ManagedRuntime.make(EventStoreSql.pipe(Layer.provideMerge(migrated(SqlDatabasePglite("memory://")))))
    await rt.runPromise(Effect.void)
  })
  afterAll(async () => {
    await rt?.dispose()
  })
  const exit = <A, E>(effect: Effect.Effect<A, E, Services | XApiClient>, server: FakeXServer, token?: string | null) =>
    rt!.runPromiseExit(effect.pipe(Effect.provide(Layer.merge(clientLayer(server, token), quiet))))
  const run = async <A, E>(effect: Effect.Effect<A, E, Services | XApiClient>, server: FakeXServer, token?: string | null): Promise<A> => {
    const e = await exit(effect, server, token)
    if (Exit.isSuccess(e)) return e.value
    throw new Error(`expected success, got: ${Cause.pretty(e.cause)}`)
  }
  const local = <A, E>(effect: Effect.Effect<A, E, Services>): Promise<A> => rt!.runPromise(effect.pipe(Effect.provide(quiet)))
  return { run, exit, local }
}

/** Stops a run at its `at`-th write (0-based; append and appendMany count alike), before or after it commits. */
export interface KillPoint {
  readonly at: number
  readonly when: "before" | "after"
}

export const killingStore = (inner: EventStoreService, kill: KillPoint, log: { writes: number }): EventStoreService => {
  const gate = <A, E>(write: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.suspend(() => {
      const i = log.writes++
      if (i !== kill.at) return write
      return kill.when === "before" ? Effect.interrupt : Effect.zipLeft(write, Effect.interrupt)
    })
  return {
    ...inner,
    append: (stream, events, expected) => gate(inner.append(stream, events, expected)),
    appendMany: (appends, options) => gate(inner.appendMany(appends, options))
  }
}

/** The effect with its EventStore swapped for one that stops at `kill`. */
export const withKill = <A, E, R>(effect: Effect.Effect<A, E, R>, kill: KillPoint, log: { writes: number }) =>
  Effect.updateService(effect, EventStore, (inner) => killingStore(inner, kill, log))

export interface StoredTweet {
  readonly id: string
  readonly kind: string
  readonly createdAt: string
}

/** What the log holds for `account`: every TweetObserved (as read back) and every ingestion event. */
export const logOf = (account: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const all = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll()))
    const tweets = all.filter((e) => e.type === "TweetObserved" && (e.data as { account: string }).account === account)
    const ingestion = all.filter((e) => e.stream === `ingestion-${account}`)
    return { tweets, ingestion }
  })

/** The `tweets` read model of `account` after catching up. */
export const tweetsOf = (account: string) =>
  Effect.gen(function* () {
    yield* catchUpProjections
    const { db } = yield* SqlDatabase
    const r = yield* Effect.promise(() =>
      sql<{ id: string; kind: string; created_at: Date | string }>`select id, kind, created_at from tweets where account = ${account}`.execute(db)
    )
    return r.rows
      .map((row) => ({ id: row.id, kind: row.kind, createdAt: new Date(row.created_at).toISOString() }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  })

/** Served posts as the store should hold them, sorted by id as the read-model query is. */
export const expected = (posts: ReadonlyArray<Served>): StoredTweet[] =>
  posts
    .map((p) => ({ id: p.id, kind: p.kind, createdAt: new Date(p.ms).toISOString() }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
