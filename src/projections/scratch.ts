/**
 * Scratch schemas for rebuild and verify: a fresh copy of a projection's table definitions
 * (`create unlogged table ... (like live including all)`: columns, defaults, constraints, indexes; no
 * foreign keys), living only as long as the operation that made it.
 */
import type { Database } from "../adapters/sql/tables"
import { randomBytes } from "node:crypto"
import { Effect } from "effect"
import { sql, type Kysely } from "kysely"
import { oneLine } from "../adapters/sql/errors"
import { ProjectionSetupError } from "./errors"
import { qualify, quoteIdent } from "./sql-writer"

/** `mt_<purpose>_<projection>_<random>`, a valid unquoted-style identifier under 63 bytes. */
export const scratchName = (purpose: "rebuild" | "verify", projection: string): string =>
  `mt_${purpose}_${projection.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 40)}_${randomBytes(4).toString("hex")}`

/**
 * Unlogged: a scratch table is thrown away after use (and after a crash), so writing WAL for it would
 * be wasted work. One transaction for the schema and all its tables: one commit.
 */
const create = (db: Kysely<Database>, schema: string, tables: ReadonlyArray<string>): Promise<void> =>
  db.transaction().execute(async (trx) => {
    await sql.raw(`create schema ${quoteIdent(schema)}`).execute(trx)
    for (const t of tables)
      await sql.raw(`create unlogged table ${qualify(schema, t)} (like ${qualify(undefined, t)} including all)`).execute(trx)
  })

const drop = (db: Kysely<Database>, schema: string) => sql.raw(`drop schema if exists ${quoteIdent(schema)} cascade`).execute(db)

/** Empties the scratch copies (to restart a replay from zero). */
export const truncateScratch = (db: Kysely<Database>, schema: string, tables: ReadonlyArray<string>) =>
  sql.raw(`truncate ${tables.map((t) => qualify(schema, t)).join(", ")}`).execute(db)

/** Runs `use` with a scratch schema holding empty copies of `tables`; drops it afterwards, always. */
export const withScratchSchema = <A, E, R>(
  db: Kysely<Database>,
  describe: string,
  purpose: "rebuild" | "verify",
  projection: string,
  tables: ReadonlyArray<string>,
  use: (schema: string) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | ProjectionSetupError, R> =>
  Effect.acquireUseRelease(
    Effect.tryPromise({
      try: async () => {
        const schema = scratchName(purpose, projection)
        try {
          await create(db, schema, tables)
        } catch (e) {
          await drop(db, schema).catch(() => undefined)
          throw e
        }
        return schema
      },
      catch: (cause) => new ProjectionSetupError({ target: describe, reason: `cannot create a scratch schema: ${oneLine(cause)}`, cause })
    }),
    use,
    (schema) => Effect.promise(() => drop(db, schema).catch(() => undefined))
  )
