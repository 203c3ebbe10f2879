/**
 * Read-model table shapes, introspected from the database (so the migration stays the one place a
 * table is defined): its columns in order with their types, and its primary key, which coalescing and
 * upserts need. One catalog query for all the tables of a run.
 */
import type { Database } from "../adapters/sql/tables"
import { sql, type Kysely } from "kysely"
import type { TableShape } from "./buffer"
import { qualify } from "./sql-writer"

/** The table is missing or unusable as a read model (no primary key). */
export class ReadModelTableError extends Error {
  constructor(
    readonly table: string,
    reason: string
  ) {
    super(`read-model table ${table}: ${reason}`)
  }
}

export const tableShapes = async (db: Kysely<Database>, schema: string | undefined, tables: ReadonlyArray<string>): Promise<TableShape[]> => {
  if (tables.length === 0) return []
  const names = tables.map((t) => qualify(schema, t))
  const r = await sql<{ ord: number; name: string; type: string; key_pos: number | null }>`
    select t.ord::int as ord, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
           array_position(i.indkey::int2[], a.attnum)::int as key_pos
    from unnest(array[${sql.join(names.map((n) => sql`${n}::text`), sql`, `)}]) with ordinality as t(rel, ord)
    join pg_attribute a on a.attrelid = to_regclass(t.rel) and a.attnum > 0 and not a.attisdropped
    left join pg_index i on i.indrelid = a.attrelid and i.indisprimary
    order by t.ord, a.attnum`.execute(db)
  return tables.map((table, k) => {
    const rows = r.rows.filter((row) => Number(row.ord) === k + 1)
    if (rows.length === 0) throw new ReadModelTableError(names[k]!, "does not exist (has `musktracker migrate up` been run?)")
    const key = rows
      .filter((row) => row.key_pos !== null)
      .sort((a, b) => Number(a.key_pos) - Number(b.key_pos))
      .map((row) => row.name)
    if (key.length === 0) throw new ReadModelTableError(names[k]!, "has no primary key (a read-model row needs one)")
    return { name: table, columns: rows.map((row) => row.name), types: rows.map((row) => row.type), primaryKey: key }
  })
}

export const tableShape = async (db: Kysely<Database>, schema: string | undefined, table: string): Promise<TableShape> =>
  (await tableShapes(db, schema, [table]))[0]!
