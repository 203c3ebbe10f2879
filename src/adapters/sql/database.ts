/**
 * The SQL database port: read models, checkpoints and (for the SQL stores) the event log live here.
 * Two implementations: embedded PGlite (default, data in MUSKTRACKER_DATA_DIR) and PostgreSQL (DATABASE_URL).
 * Both speak the same PostgreSQL dialect, so one set of migrations and one set of queries serves both.
 */
import { Context, Data } from "effect"
import type { Kysely } from "kysely"

export class SqlError extends Data.TaggedError("SqlError")<{
  /** The database, password redacted. */
  readonly target: string
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `database ${this.target}: ${this.reason}`
  }
}

export interface SqlDatabaseService {
  readonly kind: "pglite" | "postgres"
  /** e.g. "embedded PGlite at ./.musktracker" or "PostgreSQL postgres://user:***@host/db". */
  readonly describe: string
  /** Untyped Kysely handle; projections and adapters bring their own table types. */
  readonly db: Kysely<any>
}

export class SqlDatabase extends Context.Tag("musktracker/SqlDatabase")<SqlDatabase, SqlDatabaseService>() {}
