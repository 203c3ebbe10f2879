/**
 * Read-model table shapes, introspected from the database (so the migration stays the one place a
 * table is defined): its columns in order and its primary key, which coalescing and upserts need.
 */
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

export const tableShape = async (db: Kysely<any>, schema: string | undefined, table: string): Promise<TableShape> => {
  const name = qualify(schema, table)
  const columns = await sql<{ name: string; type: string }>`
    select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
    where attrelid = to_regclass(${name}) and attnum > 0 and not attisdropped
    order by attnum`.execute(db)
  if (columns.rows.length === 0)
    throw new ReadModelTableError(name, "does not exist (has `musktracker migrate up` been run?)")
  const key = await sql<{ name: string }>`
    select a.attname as name
    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = to_regclass(${name}) and i.indisprimary
    order by array_position(i.indkey::int2[], a.attnum)`.execute(db)
  if (key.rows.length === 0) throw new ReadModelTableError(name, "has no primary key (a read-model row needs one)")
  return {
    name: table,
    columns: columns.rows.map((r) => r.name),
    types: columns.rows.map((r) => r.type),
    primaryKey: key.rows.map((r) => r.name)
  }
}

export const tableShapes = async (db: Kysely<any>, schema: string | undefined, tables: ReadonlyArray<string>): Promise<TableShape[]> => {
  const out: TableShape[] = []
  for (const t of tables) out.push(await tableShape(db, schema, t))
  return out
}
