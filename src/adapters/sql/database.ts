/**
 * The SQL database port: read models, checkpoints and (for the SQL stores) the event log live here.
 * Two implementations: embedded PGlite (default, data in MUSKTRACKER_DATA_DIR) and PostgreSQL (DATABASE_URL).
 * Both speak the same PostgreSQL dialect, so one set of migrations and one set of queries serves both.
 */
import { Context, Data } from "effect"
import type { Kysely } from "kysely"
import type { Database } from "./tables"

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
  /** Kysely handle typed by the schema's tables (src/adapters/sql/tables.ts). */
  readonly db: Kysely<Database>
}

export class SqlDatabase extends Context.Tag("musktracker/SqlDatabase")<SqlDatabase, SqlDatabaseService>() {}
