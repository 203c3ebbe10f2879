/** Shared plumbing of the read-model queries: run a Kysely query as an Effect, decode JSON columns. */
import { Effect } from "effect"
import { SqlError } from "../../adapters/sql/database"
import { oneLine } from "../../adapters/sql/errors"

/** A query against the database described by `describe`; a driver error becomes a one-line SqlError. */
export const runQuery = <A>(describe: string, f: () => Promise<A>) =>
  Effect.tryPromise({ try: f, catch: (cause) => new SqlError({ target: describe, reason: oneLine(cause), cause }) })

/** A jsonb column: PostgreSQL (pg) returns it parsed, PGlite sometimes as text. */
export const jsonValue = (v: unknown): unknown => (typeof v === "string" ? JSON.parse(v) : v)
