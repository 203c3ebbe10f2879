import { Chunk, Effect, Layer, Stream } from "effect"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { EventStoreSql } from "../../../src/adapters/event-store/sql"
import { migrated } from "../../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../../src/adapters/sql/pglite"
import { ExpectedRevision } from "../../../src/domain/events/envelope"
import { EventStore } from "../../../src/domain/ports/event-store"
import { decodeCatalogStream } from "../../../src/domain/events/catalog"
import { TweetObserved } from "../../../src/domain/events/tweet"
import { withTempDataDir } from "../../support/pglite"
import { runEventStoreConformance, freshStream, testEvents } from "./conformance"
import { runSqlStoreTests } from "./sql-store"

const root = withTempDataDir("mt-es-pglite-")
const database = migrated(SqlDatabasePglite(join(root, "store")))

runEventStoreConformance("PGlite", () => EventStoreSql.pipe(Layer.provide(database)))
runSqlStoreTests("PGlite", () => database)

describe("TweetObserved through the PGlite store", () => {
  it("observing a tweet twice writes it once, and it decodes back to the same payload", async () => {
    const tweetId = String(1_700_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9)))
    const data = {
      tweetId,
      authorId: "44196397",
      account: "elonmusk",
      createdAt: "2023-11-14T22:13:20Z",
      kind: "reply" as const,
      referencedIds: ["1699999999999999999"],
      observedAt: "2025-01-01T00:00:00Z",
      source: "api" as const
    }
    const store = EventStoreSql.pipe(Layer.provide(database))
    const out = await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          const s = yield* EventStore
          const first = TweetObserved.toAppend(data, { codeVersion: "test" })
          const again = TweetObserved.toAppend({ ...data, source: "import", observedAt: "2025-06-01T00:00:00Z" }, { codeVersion: "test" })
          const r1 = yield* s.append(first.stream, [first.event], ExpectedRevision.noStream)
          const r2 = yield* s.append(again.stream, [again.event], ExpectedRevision.noStream)
          const decoded = yield* Stream.runCollect(s.readStream(first.stream).pipe(decodeCatalogStream))
          return { r1, r2, decoded: Chunk.toReadonlyArray(decoded) }
        }),
        store
      )
    )
    expect(out.r1.written).toBe(true)
    expect(out.r2).toEqual({ nextRevision: 0, position: out.r1.position, written: false })
    expect(out.decoded.length).toBe(1)
    expect(out.decoded[0]!.data).toEqual(data)
    expect(out.decoded[0]!.stream).toBe(`tweet-${tweetId}`)
  })
})

describe("PGlite event store across restarts", () => {
  it("events survive closing and reopening the data directory", async () => {
    // The same directory the suites above used (each closed it when done): reopen, write, close, reopen.
    const store = EventStoreSql.pipe(Layer.provide(database))
    const stream = freshStream()
    const events = testEvents(50)
    const { written, countBefore } = await Effect.runPromise(
      Effect.provide(
        Effect.flatMap(EventStore, (s) =>
          Effect.all({ written: s.append(stream, events, ExpectedRevision.noStream), countBefore: s.count })
        ),
        store
      )
    )
    // The layer (and PGlite) is closed when runPromise's scope ends; this opens the directory afresh.
    const read = await Effect.runPromise(
      Effect.provide(
        Effect.flatMap(EventStore, (s) =>
          Effect.all({
            events: Effect.map(Stream.runCollect(s.readStream(stream)), Chunk.toReadonlyArray),
            last: s.lastPosition,
            count: s.count,
            more: s.append(stream, testEvents(1), ExpectedRevision.exact(49))
          })
        ),
        store
      )
    )
    expect(read.events.map((e) => e.id)).toEqual(events.map((e) => e.id))
    expect(read.events.map((e) => e.data)).toEqual(events.map((e) => e.data))
    expect(read.last).toBe(written.position)
    expect(read.count).toBe(countBefore)
    expect(countBefore).toBeGreaterThan(20_000)
    expect(read.more.nextRevision).toBe(50)
    expect(read.more.position).toBe(written.position + 1n)
  })
})
