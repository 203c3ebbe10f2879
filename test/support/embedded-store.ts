/**
 * One short look at an embedded store (PGlite) between CLI runs: open the directory (migrated), run
 * one effect against its event store, close it again so the next command can take the directory's lock.
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { EventStore, type EventStoreService } from "../../src/domain/ports/event-store"

export const withEmbeddedStore = async <A, E>(dataDir: string, f: (store: EventStoreService) => Effect.Effect<A, E>): Promise<A> => {
  const rt = ManagedRuntime.make(Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(dataDir))))
  try {
    return await rt.runPromise(Effect.flatMap(EventStore, f))
  } finally {
    await rt.dispose()
  }
}
