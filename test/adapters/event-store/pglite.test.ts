import { Chunk, Effect, Layer, Stream } from "effect"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { EventStoreSql } from "../../../src/adapters/event-store/sql"
import { migrated } from "../../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../../src/adapters/sql/pglite"
import { ExpectedRevision } from "../../../src/domain/events/envelope"
import { EventStore } from "../../../src/domain/ports/event-store"
import { withTempDataDir } from "../../support/pglite"
import { runEventStoreConformance, freshStream, testEvents } from "./conformance"
import { runSqlStoreTests } from "./sql-store"

const root = withTempDataDir("mt-es-pglite-")
const database = migrated(SqlDatabasePglite(join(root, "store")))

runEventStoreConformance("PGlite", () => EventStoreSql.pipe(Layer.provide(database)))
runSqlStoreTests("PGlite", () => database)

describe("PGlite event store across restarts", () => {
  it("events survive closing and reopening the data directory", async () => {
    const dir = join(root, "restart")
    const store = EventStoreSql.pipe(Layer.provide(migrated(SqlDatabasePglite(dir))))
    const stream = freshStream()
    const events = testEvents(50)
    const written = await Effect.runPromise(
      Effect.provide(Effect.flatMap(EventStore, (s) => s.append(stream, events, ExpectedRevision.noStream)), store)
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
    expect(read.count).toBe(50)
    expect(read.more.nextRevision).toBe(50)
    expect(read.more.position).toBe(written.position + 1n)
  })
})
