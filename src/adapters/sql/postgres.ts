/** PostgreSQL through a `pg` connection pool (selected by DATABASE_URL). */
import type { Database } from "./tables"
import { Effect, Layer, type Scope } from "effect"
import { Kysely, PostgresDialect } from "kysely"
import pg from "pg"
import { redactUrl } from "../config"
import { oneLine } from "./errors"
import { SqlDatabase, SqlError, type SqlDatabaseService } from "./database"

export interface PostgresOptions {
  /** Pool size; concurrent appenders and subscribers each hold one connection while busy. */
  readonly maxConnections?: number
  readonly connectTimeoutMs?: number
}

/**
 * Connects to `url` and checks it answers before handing out the service, so an unreachable database
 * fails at start-up with one line naming the URL (password redacted). Ends the pool when the scope ends.
 */
export const makePostgres = (url: string, options: PostgresOptions = {}): Effect.Effect<SqlDatabaseService, SqlError, Scope.Scope> => {
  const target = redactUrl(url)
  return Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const pool = new pg.Pool({
          connectionString: url,
          max: options.maxConnections ?? 10,
          connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000
        })
        // An idle client losing its server must not crash the process; the next query reports it.
        pool.on("error", () => undefined)
        try {
          await pool.query("select 1")
        } catch (e) {
          await pool.end().catch(() => undefined)
          throw e
        }
        const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
        return { kind: "postgres", describe: `PostgreSQL ${target}`, db } as SqlDatabaseService
      },
      catch: (cause) => new SqlError({ target, reason: `unreachable: ${oneLine(cause)}`, cause })
    }),
    (service) => Effect.promise(() => service.db.destroy()).pipe(Effect.orDie)
  )
}

export const SqlDatabasePostgres = (url: string, options?: PostgresOptions): Layer.Layer<SqlDatabase, SqlError> =>
  Layer.scoped(SqlDatabase, makePostgres(url, options))
