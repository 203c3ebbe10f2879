/**
 * The event store conformance suite: the semantics every adapter (PGlite, PostgreSQL, EventStoreDB) must
 * show. It needs neither an empty store nor exclusive use of it: every test writes to fresh stream names
 * and reads the global log relative to the position it saw before writing.
 *
 * Usage (in a *.test.ts file): runEventStoreConformance("PGlite", () => someLayer)
 */
import { randomUUID } from "node:crypto"
import { Chunk, Duration, Effect, Either, Fiber, Layer, ManagedRuntime, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ExpectedRevision, type NewEvent } from "../../../src/domain/events/envelope"
import { EventStore, WrongExpectedRevision, type AppendResult } from "../../../src/domain/ports/event-store"

export const testEvent = (type = "TestHappened", data: unknown = { n: Math.random() }): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { schemaVersion: 1, codeVersion: "conformance@test", correlationId: randomUUID() }
})

export const testEvents = (n: number, type = "TestHappened"): NewEvent[] =>
  Array.from({ length: n }, (_, i) => testEvent(type, { i, label: `event ${i}` }))

/** A stream name no other test uses. */
export const freshStream = (category = "conformance") => `${category}-${randomUUID().replaceAll("-", "")}`

const collect = <A, E>(s: Stream.Stream<A, E>) => Effect.map(Stream.runCollect(s), Chunk.toReadonlyArray)

export const runEventStoreConformance = (name: string, makeLayer: () => Layer.Layer<EventStore, unknown>): void => {
  describe(`event store conformance: ${name}`, () => {
    let rt: ManagedRuntime.ManagedRuntime<EventStore, unknown>
    beforeAll(async () => {
      rt = ManagedRuntime.make(makeLayer())
      await rt.runPromise(Effect.void)
    })
    afterAll(() => rt?.dispose())
    const run = <A, E>(f: (store: EventStore["Type"]) => Effect.Effect<A, E>) => rt.runPromise(Effect.flatMap(EventStore, f))
    const fail = <A, E>(f: (store: EventStore["Type"]) => Effect.Effect<A, E>) =>
      rt.runPromise(Effect.flatMap(EventStore, (s) => Effect.either(f(s)))).then((e) => {
        if (Either.isRight(e)) throw new Error(`expected a failure, got ${JSON.stringify(e.right, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}`)
        return e.left
      })
    const readStream = (stream: string, o?: Parameters<EventStore["Type"]["readStream"]>[1]) => run((s) => collect(s.readStream(stream, o)))
    const headOr0 = () => run((s) => s.lastPosition).then((p) => p ?? 0n)
    /** The events of `streams` in the global log after `after`, in global order. */
    const readAllOf = (after: bigint, streams: ReadonlyArray<string>, batchSize?: number) =>
      run((s) => collect(s.readAll({ after, batchSize }).pipe(Stream.filter((e) => streams.includes(e.stream)))))

    it("describes itself", async () => {
      const d = await run((s) => Effect.succeed(s.describe))
      expect(d.length).toBeGreaterThan(0)
    })

    it("appends to a new stream with expected no-stream and reads it back exactly", async () => {
      const stream = freshStream()
      const events = [
        testEvent("Alpha", { text: "héllo ✓ \"quoted\"", nested: { list: [1, 2.5, null, true], empty: {} } }),
        testEvent("Beta", { n: 0 }),
        testEvent("Gamma", [])
      ]
      const before = Date.now()
      const result = await run((s) => s.append(stream, events, ExpectedRevision.noStream))
      expect(result.written).toBe(true)
      expect(result.nextRevision).toBe(2)
      const read = await readStream(stream)
      expect(read.map((e) => [e.id, e.type, e.data, e.metadata, e.stream, e.revision])).toEqual(
        events.map((e, i) => [e.id, e.type, e.data, e.metadata, stream, i])
      )
      expect(read[2]!.position).toBe(result.position)
      expect(read[0]!.position < read[1]!.position && read[1]!.position < read[2]!.position).toBe(true)
      for (const e of read) {
        expect(e.recordedAt).toBeInstanceOf(Date)
        expect(Math.abs(e.recordedAt.getTime() - before)).toBeLessThan(5 * 60_000)
      }
    })

    it("rejects expected no-stream on an existing stream with a typed conflict, writing nothing", async () => {
      const stream = freshStream()
      await run((s) => s.append(stream, testEvents(2), ExpectedRevision.noStream))
      const err = await fail((s) => s.append(stream, testEvents(1), ExpectedRevision.noStream))
      expect(err).toBeInstanceOf(WrongExpectedRevision)
      const w = err as WrongExpectedRevision
      expect(w._tag).toBe("WrongExpectedRevision")
      expect(w.stream).toBe(stream)
      expect(w.actual).toBe(1)
      expect((await readStream(stream)).length).toBe(2)
    })

    it("appends with an exact expected revision and rejects a stale one", async () => {
      const stream = freshStream()
      await run((s) => s.append(stream, testEvents(3), ExpectedRevision.noStream))
      const ok = await run((s) => s.append(stream, testEvents(2), ExpectedRevision.exact(2)))
      expect(ok.nextRevision).toBe(4)
      expect(ok.written).toBe(true)
      const stale = await fail((s) => s.append(stream, testEvents(1), ExpectedRevision.exact(2)))
      expect(stale).toBeInstanceOf(WrongExpectedRevision)
      expect((stale as WrongExpectedRevision).actual).toBe(4)
      const ahead = await fail((s) => s.append(stream, testEvents(1), ExpectedRevision.exact(7)))
      expect((ahead as WrongExpectedRevision).actual).toBe(4)
      const missing = await fail((s) => s.append(freshStream(), testEvents(1), ExpectedRevision.exact(0)))
      expect(missing).toBeInstanceOf(WrongExpectedRevision)
      expect((missing as WrongExpectedRevision).actual).toBe("no stream")
      expect((await readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4])
    })

    it("appends with expected any to new and existing streams", async () => {
      const stream = freshStream()
      const a = await run((s) => s.append(stream, testEvents(2), ExpectedRevision.any))
      expect(a.nextRevision).toBe(1)
      const b = await run((s) => s.append(stream, testEvents(3), ExpectedRevision.any))
      expect(b.nextRevision).toBe(4)
      expect(b.position > a.position).toBe(true)
      expect((await readStream(stream)).length).toBe(5)
    })

    it("re-appending the same event ids is idempotent; a partial overlap is a conflict", async () => {
      const stream = freshStream()
      const events = testEvents(3)
      const first = await run((s) => s.append(stream, events, ExpectedRevision.noStream))
      const again = await run((s) => s.append(stream, events, ExpectedRevision.noStream))
      expect(again).toEqual<AppendResult>({ nextRevision: 2, position: first.position, written: false })
      const againAny = await run((s) => s.append(stream, events, ExpectedRevision.any))
      expect(againAny.written).toBe(false)
      expect(againAny.nextRevision).toBe(2)
      const overlap = await fail((s) => s.append(stream, [events[2]!, testEvent()], ExpectedRevision.any))
      expect(overlap).toBeInstanceOf(WrongExpectedRevision)
      const read = await readStream(stream)
      expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id))
    })

    it("appendMany appends to several streams, and reports conflicts per stream with skipConflicts", async () => {
      const [s1, s2, s3] = [freshStream(), freshStream(), freshStream()]
      await run((s) => s.append(s2, testEvents(1), ExpectedRevision.noStream))
      const e1 = testEvents(2)
      const e3 = testEvents(3)
      const strict = await fail((s) =>
        s.appendMany([
          { stream: s1, events: e1, expected: ExpectedRevision.noStream },
          { stream: s2, events: testEvents(1), expected: ExpectedRevision.noStream }
        ])
      )
      expect(strict).toBeInstanceOf(WrongExpectedRevision)
      expect((strict as WrongExpectedRevision).stream).toBe(s2)

      const { results } = await run((s) =>
        s.appendMany(
          [
            { stream: s1, events: e1, expected: ExpectedRevision.noStream },
            { stream: s2, events: testEvents(1), expected: ExpectedRevision.noStream },
            { stream: s3, events: e3, expected: ExpectedRevision.noStream }
          ],
          { skipConflicts: true }
        )
      )
      expect(results.length).toBe(3)
      expect((results[0] as AppendResult).nextRevision).toBe(1)
      expect(results[1]).toBeInstanceOf(WrongExpectedRevision)
      expect((results[1] as WrongExpectedRevision).actual).toBe(0)
      expect((results[2] as AppendResult).nextRevision).toBe(2)
      expect((await readStream(s1)).map((e) => e.id)).toEqual(e1.map((e) => e.id))
      expect((await readStream(s2)).length).toBe(1)
      expect((await readStream(s3)).map((e) => e.id)).toEqual(e3.map((e) => e.id))
    })

    it("reads one stream forwards and backwards, from a revision, with a max count", async () => {
      const stream = freshStream()
      const events = testEvents(25)
      await run((s) => s.append(stream, events.slice(0, 10), ExpectedRevision.noStream))
      await run((s) => s.append(freshStream(), testEvents(2), ExpectedRevision.noStream))
      await run((s) => s.append(stream, events.slice(10), ExpectedRevision.exact(9)))
      const ids = events.map((e) => e.id)
      expect((await readStream(stream)).map((e) => e.id)).toEqual(ids)
      expect((await readStream(stream, { direction: "forwards" })).map((e) => e.revision)).toEqual(ids.map((_, i) => i))
      expect((await readStream(stream, { direction: "backwards" })).map((e) => e.id)).toEqual([...ids].reverse())
      expect((await readStream(stream, { fromRevision: 20 })).map((e) => e.revision)).toEqual([20, 21, 22, 23, 24])
      expect((await readStream(stream, { fromRevision: 5, maxCount: 3 })).map((e) => e.revision)).toEqual([5, 6, 7])
      expect((await readStream(stream, { direction: "backwards", fromRevision: 12, maxCount: 4 })).map((e) => e.revision)).toEqual([
        12, 11, 10, 9
      ])
      expect((await readStream(stream, { direction: "backwards", maxCount: 2 })).map((e) => e.revision)).toEqual([24, 23])
      expect(await readStream(stream, { fromRevision: 25 })).toEqual([])
      expect(await readStream(freshStream())).toEqual([])
      expect(await readStream(freshStream(), { direction: "backwards" })).toEqual([])
    })

    it("reads all events in global order from a position", async () => {
      const start = await headOr0()
      const [a, b] = [freshStream(), freshStream()]
      const ea = testEvents(4)
      const eb = testEvents(3)
      await run((s) => s.append(a, ea.slice(0, 2), ExpectedRevision.noStream))
      await run((s) => s.append(b, eb, ExpectedRevision.noStream))
      await run((s) => s.append(a, ea.slice(2), ExpectedRevision.exact(1)))
      const order = [...ea.slice(0, 2), ...eb, ...ea.slice(2)].map((e) => e.id)

      const all = await run((s) => collect(s.readAll({ after: start })))
      for (let i = 1; i < all.length; i++) expect(all[i]!.position > all[i - 1]!.position).toBe(true)
      expect(all.every((e) => e.position > start)).toBe(true)
      const mine = all.filter((e) => e.stream === a || e.stream === b)
      expect(mine.map((e) => e.id)).toEqual(order)
      // Small pages give the same sequence.
      expect((await readAllOf(start, [a, b], 2)).map((e) => e.id)).toEqual(order)
      // Starting after the third of them skips exactly the first three.
      expect((await readAllOf(mine[2]!.position, [a, b])).map((e) => e.id)).toEqual(order.slice(3))
      // maxCount bounds the read.
      const two = await run((s) => collect(s.readAll({ after: mine[0]!.position, maxCount: 2 })))
      expect(two.length).toBe(2)
      expect(two[0]!.position > mine[0]!.position).toBe(true)
      // Reading from the beginning includes them too, in the same order.
      expect((await readAllOf(0n, [a, b], 500)).map((e) => e.id)).toEqual(order)
      // lastPosition is the last event's position.
      expect(await run((s) => s.lastPosition)).toBe(all[all.length - 1]!.position)
    })

    it("counts events", async () => {
      const before = await run((s) => s.count)
      await run((s) => s.append(freshStream(), testEvents(7), ExpectedRevision.noStream))
      const after = await run((s) => s.count)
      expect(after - before).toBe(7)
    })

    it("a subscription catches up, then follows events appended after it started", async () => {
      const start = await headOr0()
      const stream = freshStream()
      const early = testEvents(5)
      const late = testEvents(6)
      await run((s) => s.append(stream, early, ExpectedRevision.noStream))
      const received = await rt.runPromise(
        Effect.gen(function* () {
          const store = yield* EventStore
          const fiber = yield* store.subscribeAll({ after: start }).pipe(
            Stream.filter((e) => e.stream === stream),
            Stream.take(early.length + late.length),
            Stream.runCollect,
            Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => new Error("subscription did not deliver in 30 s") }),
            Effect.fork
          )
          yield* Effect.sleep(Duration.millis(300))
          yield* store.append(stream, late.slice(0, 2), ExpectedRevision.exact(4))
          yield* Effect.sleep(Duration.millis(200))
          yield* store.append(stream, late.slice(2), ExpectedRevision.exact(6))
          return Chunk.toReadonlyArray(yield* Fiber.join(fiber))
        })
      )
      expect(received.map((e) => e.id)).toEqual([...early, ...late].map((e) => e.id))
      expect(received.map((e) => e.revision)).toEqual(received.map((_, i) => i))
      for (let i = 1; i < received.length; i++) expect(received[i]!.position > received[i - 1]!.position).toBe(true)
    })

    it("a subscription from the current end sees only new events", async () => {
      const stream = freshStream()
      await run((s) => s.append(stream, testEvents(2), ExpectedRevision.noStream))
      const start = await headOr0()
      const late = testEvents(3)
      const received = await rt.runPromise(
        Effect.gen(function* () {
          const store = yield* EventStore
          const fiber = yield* store.subscribeAll({ after: start }).pipe(
            Stream.filter((e) => e.stream === stream),
            Stream.take(3),
            Stream.runCollect,
            Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => new Error("subscription did not deliver in 30 s") }),
            Effect.fork
          )
          yield* Effect.sleep(Duration.millis(200))
          yield* store.append(stream, late, ExpectedRevision.exact(1))
          return Chunk.toReadonlyArray(yield* Fiber.join(fiber))
        })
      )
      expect(received.map((e) => e.id)).toEqual(late.map((e) => e.id))
    })

    it("appends a 10k-event batch to one stream and reads it back", async () => {
      const start = await headOr0()
      const stream = freshStream()
      const events = testEvents(10_000)
      const r = await run((s) => s.append(stream, events, ExpectedRevision.noStream))
      expect(r.nextRevision).toBe(9_999)
      const read = await readStream(stream)
      expect(read.length).toBe(10_000)
      expect(read[0]!.id).toBe(events[0]!.id)
      expect(read[9_999]!.id).toBe(events[9_999]!.id)
      expect(read.every((e, i) => e.revision === i && e.id === events[i]!.id)).toBe(true)
      const all = await readAllOf(start, [stream])
      expect(all.length).toBe(10_000)
    })

    it("appends a 10k-stream batch (one event each) with appendMany and reads it back", async () => {
      const start = await headOr0()
      const prefix = freshStream("bulk")
      const appends = Array.from({ length: 10_000 }, (_, i) => ({
        stream: `${prefix}x${i}`,
        events: [testEvent("Bulk", { i })],
        expected: ExpectedRevision.noStream
      }))
      const { results } = await run((s) => s.appendMany(appends))
      expect(results.length).toBe(10_000)
      expect(results.every((r) => !(r instanceof WrongExpectedRevision) && r.written && r.nextRevision === 0)).toBe(true)
      const all = await run((s) => collect(s.readAll({ after: start }).pipe(Stream.filter((e) => e.stream.startsWith(prefix)))))
      expect(all.length).toBe(10_000)
      expect(new Set(all.map((e) => e.stream)).size).toBe(10_000)
      // Re-running the same import is harmless: every append is idempotent.
      const again = await run((s) => s.appendMany(appends, { skipConflicts: true }))
      expect(again.results.every((r) => !(r instanceof WrongExpectedRevision) && !r.written)).toBe(true)
      const sample = await readStream(`${prefix}x1234`)
      expect(sample.map((e) => e.data)).toEqual([{ i: 1234 }])
    })
  })
}
