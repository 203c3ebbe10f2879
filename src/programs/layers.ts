/**
 * The Layers a command runs on, chosen by configuration:
 * - SQL database (read models, checkpoints): PostgreSQL if DATABASE_URL, else embedded PGlite.
 * - Event log: EventStoreDB if EVENTSTORE_URL, else the same SQL database.
 * Pending migrations are applied when the database layer is built, so a fresh data directory works
 * with no set-up (`migrate` remains available to inspect or roll back).
 */
import { Effect, Layer, Option } from "effect"
import { AppConfig, AppConfigLive } from "../adapters/config"
import { EventStoreSql } from "../adapters/event-store/sql"
import { SqlDatabaseLive } from "../adapters/sql/layer"
import { migrated } from "../adapters/sql/migrator"
import { EventStore } from "../domain/ports/event-store"
import { SqlDatabase } from "../adapters/sql/database"

/** SQL database without migrations (for `migrate` itself). */
export const DatabaseOnly = SqlDatabaseLive.pipe(Layer.provideMerge(AppConfigLive))

const eventStoreFor = Layer.unwrapEffect(
  Effect.map(AppConfig, (c) =>
    Option.match(c.eventstoreUrl, {
      // The EventStoreDB client (gRPC) is loaded only when it is the configured log.
      onSome: (url) => Layer.unwrapEffect(Effect.map(Effect.promise(() => import("../adapters/event-store/eventstoredb")), (m) => m.EventStoreDbLayer(url))),
      onNone: () => EventStoreSql
    })
  )
)

/** Config, migrated SQL database and event store, from a given configuration layer. */
export const storeLayerWith = <E>(config: Layer.Layer<AppConfig, E>) =>
  Layer.provideMerge(eventStoreFor, migrated(SqlDatabaseLive)).pipe(Layer.provideMerge(config))

/** Everything a store-using command needs: config, migrated SQL database, event store. */
export const StoreLayer = storeLayerWith(AppConfigLive)

export type StoreServices = AppConfig | SqlDatabase | EventStore
