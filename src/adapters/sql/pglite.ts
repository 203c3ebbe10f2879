/**
 * Embedded PostgreSQL (PGlite, WASM) in a data directory: the default store, no server needed.
 * PGlite is single-connection and single-process: one process at a time may open a data directory.
 */
import { mkdirSync } from "node:fs"
import { resolve } from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer, type Scope } from "effect"
import { Kysely } from "kysely"
import { PGliteDialect } from "kysely-pglite-dialect"
import { oneLine } from "./errors"
import { SqlDatabase, SqlError, type SqlDatabaseService } from "./database"

/** Opens (creating if absent) the PGlite database in `dataDir` (or `memory://`); closes it when the scope ends. */
export const makePglite = (dataDir: string): Effect.Effect<SqlDatabaseService, SqlError, Scope.Scope> => {
  const target = `embedded PGlite at ${dataDir}`
  return Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        // "memory://" (tests) keeps everything in memory; anything else is a directory, created if absent.
        const inMemory = dataDir.startsWith("memory://")
        if (!inMemory) mkdirSync(resolve(dataDir), { recursive: true })
        const client = await PGlite.create(inMemory ? dataDir : resolve(dataDir))
        const db = new Kysely<any>({ dialect: new PGliteDialect(client) })
        return { kind: "pglite", describe: target, db } as SqlDatabaseService
      },
      catch: (cause) => new SqlError({ target, reason: `cannot open: ${oneLine(cause)}`, cause })
    }),
    // Kysely's destroy closes the PGlite client, flushing the data directory.
    (service) => Effect.promise(() => service.db.destroy()).pipe(Effect.orDie)
  )
}

export const SqlDatabasePglite = (dataDir: string): Layer.Layer<SqlDatabase, SqlError> =>
  Layer.scoped(SqlDatabase, makePglite(dataDir))
