/**
 * Writes: what a projection handler asks of its read model, as plain data (never SQL).
 *
 * Being data lets the runtime (a) coalesce every write of a batch per row key in memory before it
 * touches SQL (70k TweetObserved events become a few thousand multi-row upserts), and (b) send the
 * same writes to another schema (a scratch schema for `rebuild`, a shadow schema for `verify`).
 *
 * Semantics, for the row of `table` identified by its primary key (absent rows start from the
 * table's column defaults):
 * - `Upsert(row)`: the row becomes exactly `row`; columns not in `row` take their default.
 * - `Merge(row)`: insert-or-update the columns in `row` only; other columns keep their value
 *   (their default when the row did not exist).
 * - `Increment(key, by)`: add `by[c]` to each counter column `c` (a NULL or absent counter counts
 *   as 0; counter columns must default to 0 or NULL).
 * - `Delete(key)`: the row is gone.
 * Upsert and Merge rows, and Increment and Delete keys, must contain every primary-key column.
 * Increments should be integers: coalescing adds deltas before adding them to the stored value, which
 * is exact for integers but would change the rounding of fractional sums (and break `verify`).
 */

import type { Insertable, Updateable } from "kysely"
import type { ReadModels, ReadModelTable } from "../adapters/sql/tables"

/** A column value. Timestamps: use one spelling per column (the projections here use UTC ISO strings). */
export type Value = string | number | bigint | boolean | null | Date

export type Row = Readonly<Record<string, Value>>

export type Write =
  | { readonly _tag: "Upsert"; readonly table: string; readonly row: Row }
  | { readonly _tag: "Merge"; readonly table: string; readonly row: Row }
  | { readonly _tag: "Increment"; readonly table: string; readonly key: Row; readonly by: Readonly<Record<string, number>> }
  | { readonly _tag: "Delete"; readonly table: string; readonly key: Row }

/** A whole row of `T` as a projection writes it (columns with a default or null may be left out). */
export type RowOf<T extends ReadModelTable> = Insertable<ReadModels[T]>
/** Some columns of `T`, the primary key among them. */
export type ColumnsOf<T extends ReadModelTable> = Updateable<ReadModels[T]>
/** The integer counter columns of `T`. */
export type CountersOf<T extends ReadModelTable> = Partial<Record<{ [K in keyof RowOf<T>]-?: RowOf<T>[K] extends number | undefined ? K : never }[keyof RowOf<T>], number>>

// Checked against the table's type (src/adapters/sql/tables.ts) where they are made; carried as plain data.
export const Write = {
  upsert: <T extends ReadModelTable>(table: T, row: RowOf<T>): Write => ({ _tag: "Upsert", table, row: row as Row }),
  merge: <T extends ReadModelTable>(table: T, row: ColumnsOf<T>): Write => ({ _tag: "Merge", table, row: row as Row }),
  increment: <T extends ReadModelTable>(table: T, key: ColumnsOf<T>, by: CountersOf<T>): Write => ({
    _tag: "Increment",
    table,
    key: key as Row,
    by: by as Readonly<Record<string, number>>
  }),
  delete: <T extends ReadModelTable>(table: T, key: ColumnsOf<T>): Write => ({ _tag: "Delete", table, key: key as Row })
} as const

/** The same writes for any table name: for the table-agnostic runtime's own tests (toy tables). */
export const UntypedWrite = {
  upsert: (table: string, row: Row): Write => ({ _tag: "Upsert", table, row }),
  merge: (table: string, row: Row): Write => ({ _tag: "Merge", table, row }),
  increment: (table: string, key: Row, by: Readonly<Record<string, number>>): Write => ({ _tag: "Increment", table, key, by }),
  delete: (table: string, key: Row): Write => ({ _tag: "Delete", table, key })
} as const

/** No writes: what a handler returns for an event that does not change its read model. */
export const noWrites: ReadonlyArray<Write> = []
