/** What a schema migration is. Each runs in its own transaction (see ../migrator.ts). */
import { sql, type Kysely } from "kysely"

export interface Migration {
  /** Positive integer, unique; migrations apply in ascending version order. */
  readonly version: number
  /** Short snake_case description, recorded in schema_migrations. */
  readonly name: string
  readonly up: (db: Kysely<any>) => Promise<void>
  readonly down: (db: Kysely<any>) => Promise<void>
  /**
   * Its `down` deletes recorded events (the log itself), which nothing can rebuild: the migrator refuses
   * to revert it while the `events` table holds any. Read models, checkpoints and derived columns (the
   * hash chain) are rebuilt from the log, so reverting their migrations loses nothing.
   */
  readonly deletesEvents?: true
}

/**
 * Runs statements one at a time: PGlite's parameterised protocol accepts a single statement per query,
 * so a migration lists its statements instead of sending one multi-statement string.
 */
export const execAll = async (db: Kysely<any>, statements: ReadonlyArray<string>): Promise<void> => {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
