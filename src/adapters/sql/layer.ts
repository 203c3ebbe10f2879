/**
 * The SQL database the configuration asks for: PostgreSQL when DATABASE_URL is set, else embedded PGlite.
 * Each driver is imported only when chosen, so a command never pays for the one it does not use.
 */
import { Effect, Layer, Option } from "effect"
import { AppConfig } from "../config"
import { SqlDatabase, type SqlError } from "./database"

export const SqlDatabaseLive: Layer.Layer<SqlDatabase, SqlError, AppConfig> = Layer.scoped(
  SqlDatabase,
  Effect.flatMap(AppConfig, (config) =>
    Option.match(config.databaseUrl, {
      onSome: (url) => Effect.flatMap(Effect.promise(() => import("./postgres")), (m) => m.makePostgres(url)),
      onNone: () => Effect.flatMap(Effect.promise(() => import("./pglite")), (m) => m.makePglite(config.dataDir))
    })
  )
)
