/**
 * The gap problem on real PostgreSQL: several appenders on separate connections and concurrent readers.
 * A reader following the log (subscribeAll, or repeated readAll from its cursor) must see every event
 * exactly once, in strictly increasing positions, and end with exactly the final log: an event that
 * commits later with a lower position would be skipped by such a reader, and the test would see it.
 */
import { Chunk, Duration, Effect, Layer, Stream } from "effect"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { EventStoreSqlWith, EVENT_LOG_LOCK_KEY, makeSqlEventStore } from "../../../src/adapters/event-store/sql"
import { nodeSha256 } from "../../../src/adapters/sha256"
import { chainHash, GENESIS_HASH } from "../../../src/domain/events/chain"
import { SqlDatabase } from "../../../src/adapters/sql/database"
import { migrated } from "../../../src/adapters/sql/migrator"
import { SqlDatabasePostgres } from "../../../src/adapters/sql/postgres"
import { ExpectedRevision, type RecordedEvent } from "../../../src/domain/events/envelope"
import { EventStore } from "../../../src/domain/ports/event-store"
import { Rng } from "../../../src/domain/random"
import { withTempDatabase } from "../../support/postgres"
import { freshStream, testEvent, testEvents } from "./conformance"

const pg = withTempDatabase()
/** Each call is a separate pool: separate connections, like separate processes. */
const storeLayer = (pollIntervalMs = 5) =>
  EventStoreSqlWith({ pollIntervalMs, readBatchSize: 97 }).pipe(Layer.provide(SqlDatabasePostgres(pg.url(), { maxConnections: 3 })))

const runWith = <A, E>(layer: Layer.Layer<EventStore, unknown>, f: (s: EventStore["Type"]) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.provide(Effect.flatMap(EventStore, f), layer))

describe("SQL event log under concurrency (PostgreSQL)", () => {
  it("readers following the log see every event exactly once, in order, with none skipped", async () => {
    await Effect.runPromise(Effect.provide(Effect.void, migrated(SqlDatabasePostgres(pg.url()))))
    const start = (await runWith(storeLayer(), (s) => s.lastPosition)) ?? 0n

    // A fixed plan, so the total is known up front. Mixed batch sizes make commit times uneven:
    // a big batch that started first commits after small ones that started later.
    const rng = Rng.seeded(20251231)
    const appenders = 4
    const sharedStreams = [freshStream("shared"), freshStream("shared")]
    const plans = Array.from({ length: appenders }, () => {
      const own = freshStream("own")
      return Array.from({ length: 40 }, () => {
        const size = rng.uniform() < 0.1 ? 300 + rng.int(500) : 1 + rng.int(20)
        const shared = rng.uniform() < 0.3
        return { stream: shared ? sharedStreams[rng.int(2)]! : own, shared, size }
      })
    })
    const total = plans.flat().reduce((n, p) => n + p.size, 0)

    const subscriber = runWith(storeLayer(), (s) =>
      s.subscribeAll({ after: start }).pipe(
        Stream.take(total),
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray),
        Effect.timeoutFail({ duration: Duration.seconds(120), onTimeout: () => new Error("subscriber did not see every event") })
      )
    )
    // A second reader that polls readAll from its cursor in small pages, as a projector in catch-up mode would.
    const poller = runWith(storeLayer(), (s) =>
      Effect.gen(function* () {
        const seen: RecordedEvent[] = []
        let cursor = start
        const deadline = Date.now() + 120_000
        while (seen.length < total && Date.now() < deadline) {
          const page = Chunk.toReadonlyArray(yield* Stream.runCollect(s.readAll({ after: cursor, batchSize: 53, maxCount: 500 })))
          if (page.length > 0) cursor = page[page.length - 1]!.position
          seen.push(...page)
          if (page.length === 0) yield* Effect.sleep(Duration.millis(3))
        }
        return seen as ReadonlyArray<RecordedEvent>
      })
    )

    const writers = plans.map((plan) =>
      runWith(storeLayer(), (s) => {
        // Own streams use exact expected revisions (only this appender writes them); shared ones use any.
        let ownRevision = -1
        return Effect.forEach(plan, (p) => {
          const expected = p.shared ? ExpectedRevision.any : ownRevision < 0 ? ExpectedRevision.noStream : ExpectedRevision.exact(ownRevision)
          return s.append(p.stream, testEvents(p.size), expected).pipe(
            Effect.tap((r) => {
              if (!p.shared) ownRevision = r.nextRevision
            })
          )
        })
      })
    )
    await Promise.all(writers)
    const [viaSubscription, viaPolling] = await Promise.all([subscriber, poller])

    const finalLog = await runWith(storeLayer(), (s) => Effect.map(Stream.runCollect(s.readAll({ after: start })), Chunk.toReadonlyArray))
    expect(finalLog.length).toBe(total)
    const finalIds = finalLog.map((e) => e.id)
    for (const [name, seen] of [
      ["subscription", viaSubscription],
      ["polling reader", viaPolling]
    ] as const) {
      expect(seen.length, name).toBe(total)
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.position > seen[i - 1]!.position, `${name} order at ${i}`).toBe(true)
      expect(new Set(seen.map((e) => e.id)).size, name).toBe(total)
      expect(seen.map((e) => e.id), name).toEqual(finalIds)
    }
    // Every stream is consistent: revisions 0..n-1 in position order.
    const byStream = new Map<string, number[]>()
    for (const e of finalLog) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e.revision])
    for (const [stream, revs] of byStream) expect(revs, stream).toEqual(revs.map((_, i) => i))
    expect(byStream.size).toBe(appenders + sharedStreams.length)
  })

  it("an append waiting behind an open append transaction gets the higher position and is never visible before it", async () => {
    const database = SqlDatabasePostgres(pg.url(), { maxConnections: 4 })
    const result = await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          const sqlDb = yield* SqlDatabase
          const store = makeSqlEventStore(sqlDb, { pollIntervalMs: 5 })
          const start = (yield* store.lastPosition) ?? 0n
          const slow = freshStream("slow")
          const fast = freshStream("fast")
          const slowEvent = testEvent("Slow")
          // A "slow appender" following the store's protocol by hand: lock, number, insert ... and wait before commit.
          let release!: () => void
          const released = new Promise<void>((r) => (release = r))
          let locked!: () => void
          const isLocked = new Promise<void>((r) => (locked = r))
          const slowTx = sqlDb.db.transaction().execute(async (trx) => {
            await sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK_KEY}::bigint)`.execute(trx)
            locked()
            const head = await sql<{ p: string; hash: string | null }>`
              select coalesce(max(position), 0) as p, (select hash from events order by position desc limit 1) as hash from events`.execute(trx)
            const position = BigInt(head.rows[0]!.p) + 1n
            // the chain link, as the store writes it
            const hash = chainHash(head.rows[0]!.hash ?? GENESIS_HASH, { ...slowEvent, type: "Slow", data: {}, stream: slow, revision: 0 }, nodeSha256)
            await sql`insert into events (position, event_id, stream, revision, type, data, metadata, hash)
                      values (${position.toString()}::bigint, ${slowEvent.id}::uuid, ${slow}, 0, 'Slow', '{}'::jsonb,
                              ${JSON.stringify(slowEvent.metadata)}::jsonb, ${hash})`.execute(trx)
            await released
            return position
          })
          yield* Effect.promise(() => isLocked)
          const fastFiber = yield* Effect.fork(store.append(fast, testEvents(1), ExpectedRevision.noStream))
          yield* Effect.sleep(Duration.millis(400))
          const fastDoneEarly = fastFiber.unsafePoll() !== null
          const visibleWhileOpen = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll({ after: start })))
          release()
          const slowPosition = yield* Effect.promise(() => slowTx)
          const fastResult = yield* fastFiber.await.pipe(Effect.flatten)
          const after = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll({ after: start })))
          return { fastDoneEarly, visibleWhileOpen, slowPosition, fastResult, after, slow, fast }
        }),
        database
      )
    )
    expect(result.fastDoneEarly).toBe(false)
    expect(result.visibleWhileOpen).toEqual([])
    expect(result.fastResult.position).toBe(result.slowPosition + 1n)
    expect(result.after.map((e) => e.stream)).toEqual([result.slow, result.fast])
  })
})
