/** The SQL database the configuration asks for: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
import { Effect, Layer, Option } from "effect"
import { AppConfig } from "../config"
import { SqlDatabase, type SqlError } from "./database"
import { makePglite } from "./pglite"
import { makePostgres } from "./postgres"

export const SqlDatabaseLive: Layer.Layer<SqlDatabase, SqlError, AppConfig> = Layer.scoped(
  SqlDatabase,
  Effect.flatMap(AppConfig, (config) =>
    Option.match(config.databaseUrl, {
      onSome: (url) => makePostgres(url),
      onNone: () => makePglite(config.dataDir)
    })
  )
)
