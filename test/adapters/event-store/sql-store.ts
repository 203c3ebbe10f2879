/** Tests of properties specific to the SQL event log (beyond the port's conformance suite). */
import { Chunk, Effect, Either, Layer, ManagedRuntime, Stream } from "effect"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { appendChecks, makeSqlEventStore } from "../../../src/adapters/event-store/sql"
import { SqlDatabase } from "../../../src/adapters/sql/database"
import { ExpectedRevision } from "../../../src/domain/events/envelope"
import { EventStoreError, WrongExpectedRevision } from "../../../src/domain/ports/event-store"
import { freshStream, testEvent, testEvents } from "./conformance"
import { randomUUID } from "node:crypto"
import { nodeSha256 } from "../../../src/adapters/sha256"
import { makeChainVerifier } from "../../../src/domain/events/chain"

export const runSqlStoreTests = (name: string, makeDatabase: () => Layer.Layer<SqlDatabase, unknown>): void => {
  describe(`SQL event log specifics: ${name}`, () => {
    let rt: ManagedRuntime.ManagedRuntime<SqlDatabase, unknown>
    beforeAll(async () => {
      rt = ManagedRuntime.make(makeDatabase())
      await rt.runPromise(Effect.void)
    })
    afterAll(() => rt?.dispose())
    const withStore = <A, E>(f: (s: ReturnType<typeof makeSqlEventStore>) => Effect.Effect<A, E>) =>
      rt.runPromise(Effect.flatMap(SqlDatabase, (db) => f(makeSqlEventStore(db))))
    const either = <A, E>(f: (s: ReturnType<typeof makeSqlEventStore>) => Effect.Effect<A, E>) =>
      rt.runPromise(Effect.flatMap(SqlDatabase, (db) => Effect.either(f(makeSqlEventStore(db)))))

    it("appendMany is all or nothing without skipConflicts", async () => {
      const [a, b] = [freshStream(), freshStream()]
      await withStore((s) => s.append(b, testEvents(1), ExpectedRevision.noStream))
      const countBefore = await withStore((s) => s.count)
      const r = await either((s) =>
        s.appendMany([
          { stream: a, events: testEvents(3), expected: ExpectedRevision.noStream },
          { stream: b, events: testEvents(1), expected: ExpectedRevision.noStream }
        ])
      )
      expect(Either.isLeft(r) && r.left instanceof WrongExpectedRevision).toBe(true)
      expect(await withStore((s) => s.count)).toBe(countBefore)
      expect(await withStore((s) => Stream.runCount(s.readStream(a)))).toBe(0)
    })

    it("positions are gap-free even across a rolled-back append", async () => {
      const before = (await withStore((s) => s.lastPosition)) ?? 0n
      const a = freshStream()
      await withStore((s) => s.append(a, testEvents(2), ExpectedRevision.noStream))
      await either((s) => s.append(a, testEvents(5), ExpectedRevision.noStream))
      await withStore((s) => s.append(a, testEvents(2), ExpectedRevision.exact(1)))
      const read = await withStore((s) => Effect.map(Stream.runCollect(s.readStream(a)), Chunk.toReadonlyArray))
      const positions = read.map((e) => e.position)
      const all = await withStore((s) => Effect.map(Stream.runCollect(s.readAll({ after: before })), Chunk.toReadonlyArray))
      // Consecutive in the log as a whole (other tests in this file run sequentially).
      expect(all.map((e) => e.position)).toEqual(all.map((_, i) => before + BigInt(i + 1)))
      expect(positions[3]! - positions[0]!).toBe(3n)
    })

    it("an event id already recorded in another stream fails the append with a store error", async () => {
      const e = testEvent()
      await withStore((s) => s.append(freshStream(), [e], ExpectedRevision.noStream))
      const r = await either((s) => s.append(freshStream(), [e], ExpectedRevision.any))
      expect(Either.isLeft(r) && r.left instanceof EventStoreError).toBe(true)
      expect(Either.isLeft(r) ? r.left.message : "").toMatch(/already recorded in stream conformance-/)
    })

    it("a batch of new streams that meets a recorded stream or event id is checked from the start: same outcome, gap-free, chained", async () => {
      // New streams with expected no-stream are inserted without lookups; a unique index that refuses
      // one of them sends the whole batch through the checks from a savepoint.
      const [fresh, existing, elsewhere] = [freshStream(), freshStream(), freshStream()]
      const recorded = testEvents(2)
      await withStore((s) => s.append(existing, recorded, ExpectedRevision.noStream))
      const before = (await withStore((s) => s.lastPosition))!
      const { results } = await withStore((s) =>
        s.appendMany([
          { stream: fresh, events: testEvents(2), expected: ExpectedRevision.noStream },
          { stream: existing, events: recorded, expected: ExpectedRevision.noStream }
        ])
      )
      expect(results.map((r) => (r instanceof WrongExpectedRevision ? "conflict" : [r.nextRevision, r.written]))).toEqual([
        [1, true],
        [1, false]
      ])
      const all = await withStore((s) => Effect.map(Stream.runCollect(s.readAll()), Chunk.toReadonlyArray))
      expect(all.slice(-2).map((e) => [e.stream, e.position])).toEqual([
        [fresh, before + 1n],
        [fresh, before + 2n]
      ])
      const verifier = makeChainVerifier(nodeSha256, { contiguous: true })
      for (const e of all) verifier.push(e)
      expect(verifier.report().firstBreak).toBeUndefined()
      // An event id recorded in another stream: the same store error as through the checks.
      const r = await either((s) => s.append(elsewhere, [recorded[0]!], ExpectedRevision.noStream))
      expect(Either.isLeft(r) && r.left instanceof EventStoreError ? r.left.message : "").toMatch(/already recorded in stream conformance-/)
      expect(await withStore((s) => s.lastPosition)).toBe(before + 2n)
    })

    it("the same stream twice in one batch appends in order; a repeated append inside the batch is idempotent", async () => {
      const a = freshStream()
      const first = testEvents(2)
      const { results } = await withStore((s) =>
        s.appendMany([
          { stream: a, events: first, expected: ExpectedRevision.noStream },
          { stream: a, events: testEvents(1), expected: ExpectedRevision.exact(1) },
          { stream: a, events: first, expected: ExpectedRevision.noStream }
        ])
      )
      expect(results.map((r) => (r instanceof WrongExpectedRevision ? "conflict" : [r.nextRevision, r.written]))).toEqual([
        [1, true],
        [2, true],
        [2, false]
      ])
      expect(await withStore((s) => Stream.runCount(s.readStream(a)))).toBe(3)
    })

    it("an unmigrated database gives a store error that says to migrate", async () => {
      // One connection whose search_path is an empty schema: "events" does not resolve there.
      const r = await rt.runPromise(
        Effect.flatMap(SqlDatabase, (db) =>
          Effect.promise(() =>
            db.db.connection().execute(async (conn) => {
              await sql`create schema if not exists empty_schema`.execute(conn)
              await sql`set search_path to empty_schema`.execute(conn)
              try {
                return await Effect.runPromise(Effect.either(makeSqlEventStore({ ...db, db: conn }).count))
              } finally {
                await sql`set search_path to default`.execute(conn)
              }
            })
          )
        )
      )
      expect(Either.isLeft(r)).toBe(true)
      expect(Either.isLeft(r) ? r.left.message : "").toMatch(/relation "events" does not exist \(run `musktracker migrate up`\)/)
    })
    it("an append's checks look each stream and id up through its index, without table statistics", async () => {
      // A log of 10,000 one-event streams that nothing has analysed (PGlite never does; this machine's
      // server runs without autovacuum): the checks of a 2,000-stream batch must still be index lookups,
      // never a scan of the whole log per batch.
      await withStore((s) =>
        s.appendMany(Array.from({ length: 10_000 }, () => ({ stream: freshStream("indexed"), events: [testEvent()], expected: ExpectedRevision.noStream })))
      )
      const streams = Array.from({ length: 2_000 }, () => freshStream("indexed"))
      const ids = Array.from({ length: 2_000 }, () => randomUUID())
      const plan = await rt.runPromise(
        Effect.flatMap(SqlDatabase, ({ db }) =>
          Effect.promise(() => sql<Record<string, string>>`explain ${appendChecks(streams, ids)}`.execute(db))
        )
      )
      const text = plan.rows.map((r) => Object.values(r).join(" ")).join("\n")
      expect(text).not.toMatch(/Seq Scan on events/)
      expect(text).toMatch(/Index Scan[^\n]* using events_stream_revision_key on events/)
      expect(text).toMatch(/Index Scan[^\n]* using events_event_id_key on events/)
    })
  })
}
