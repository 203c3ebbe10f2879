/**
 * Turns a coalesced WriteBuffer into a few multi-row statements against one schema: one DELETE per
 * table chunk, then one `INSERT ... ON CONFLICT DO UPDATE` per (table, column set) chunk. Keys are
 * distinct within a buffer, so the statements commute and their order does not matter.
 * Runs inside the caller's transaction; never commits.
 *
 * Upsert rows travel as one text array per column (`select c0::timestamptz, ... from unnest($1::text[],
 * ...) as u(c0, ...)`): values as text, converted in SQL by each column type's input function, as bind
 * parameters would be (typed arrays would make PGlite's client check JS types: "true" is no boolean).
 * Measured on the tweets upsert, 5,000 rows a statement: 20-30% faster than one JSON parameter unpacked
 * with `json_array_elements` on PostgreSQL and PGlite alike, which was itself 1.4-1.8x faster than
 * thousands of bind parameters. A table with an array-typed column keeps the JSON form, since unnest
 * would flatten a two-dimensional array.
 */
import type { Database } from "../adapters/sql/tables"
import { CompiledQuery, type Kysely } from "kysely"
import type { Pending, WriteBuffer } from "./buffer"
import type { Value } from "./write"

/** Rows per INSERT statement. */
const ROWS_PER_STATEMENT = 5_000
/** Bind parameters per DELETE statement (PostgreSQL allows 65,535). */
const MAX_PARAMS = 16_000

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

/** `"schema"."table"`, or just `"table"` (resolved through search_path) for the live schema. */
export const qualify = (schema: string | undefined, table: string): string =>
  schema === undefined ? quoteIdent(table) : `${quoteIdent(schema)}.${quoteIdent(table)}`

const chunks = <A>(xs: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

/** A value as the text PostgreSQL's input function of its column type reads (null stays null). */
const asText = (v: Value): string | null => {
  if (v === null) return null
  if (v instanceof Date) return v.toISOString()
  return typeof v === "string" ? v : String(v)
}

export interface FlushStats {
  readonly statements: number
  readonly rows: number
}

/** Applies `buffer` to the tables of `schema` (undefined: the live tables). */
export const flushBuffer = async (db: Kysely<Database>, schema: string | undefined, buffer: WriteBuffer): Promise<FlushStats> => {
  let statements = 0
  let rows = 0
  const run = async (text: string, params: unknown[]): Promise<void> => {
    await db.executeQuery(CompiledQuery.raw(text, params))
    statements++
  }
  for (const { shape, rows: pendings } of buffer.entries()) {
    rows += pendings.length
    const table = qualify(schema, shape.name)
    const pk = shape.primaryKey
    const pkList = pk.map(quoteIdent).join(",")
    const typeOf = new Map(shape.columns.map((c, i) => [c, shape.types[i]!]))

    // Rows that end deleted. (A reset row that ends present is replaced by its upsert below.)
    const gone = pendings.filter((p) => p.deleted)
    for (const chunk of chunks(gone, Math.max(1, Math.floor(MAX_PARAMS / pk.length)))) {
      const params = chunk.flatMap((p) => p.key.map(asText))
      let n = 1
      const tuples = chunk.map(() => (pk.length === 1 ? `$${n++}` : `(${pk.map(() => `$${n++}`).join(",")})`)).join(",")
      await run(`delete from ${table} where ${pk.length === 1 ? pkList : `(${pkList})`} in (${tuples})`, params)
    }

    const groups = new Map<string, { reset: boolean; set: string[]; add: string[]; rows: Pending[] }>()
    for (const p of pendings) {
      if (p.deleted) continue
      const set = [...p.set.keys()].sort()
      const add = [...p.add.keys()].sort()
      const sig = `${p.reset ? "R" : "M"}|${set.join(",")}|${add.join(",")}`
      let g = groups.get(sig)
      if (!g) groups.set(sig, (g = { reset: p.reset, set, add, rows: [] }))
      g.rows.push(p)
    }
    for (const g of groups.values()) {
      const cols = [...pk, ...g.set, ...g.add]
      const nonKey = shape.columns.filter((c) => !pk.includes(c))
      const assignments = g.reset
        ? // Replace: every non-key column from EXCLUDED, which holds the column default where the
          // insert gave no value.
          nonKey.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`)
        : [
            ...g.set.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`),
            ...g.add.map((c) => `${quoteIdent(c)} = coalesce(t.${quoteIdent(c)}, 0) + excluded.${quoteIdent(c)}`)
          ]
      const conflict = assignments.length === 0 ? "do nothing" : `do update set ${assignments.join(", ")}`
      const types = cols.map((c) => typeOf.get(c)!)
      const asJson = types.some((t) => t.endsWith("]"))
      const source = asJson
        ? `select ${types.map((t, i) => `(r->>${i})::${t}`).join(",")} from json_array_elements($1::json) as r`
        : `select ${types.map((t, i) => `c${i}::${t}`).join(",")} from unnest(${types.map((_, i) => `$${i + 1}::text[]`).join(",")}) as u(${types.map((_, i) => `c${i}`).join(",")})`
      const text = `insert into ${table} as t (${cols.map(quoteIdent).join(",")}) ${source} on conflict (${pkList}) ${conflict}`
      for (const chunk of chunks(g.rows, ROWS_PER_STATEMENT)) {
        // Column-major: values[k][i] is column k of row i.
        const values: Array<Array<string | null>> = cols.map(() => new Array<string | null>(chunk.length))
        for (let i = 0; i < chunk.length; i++) {
          const p = chunk[i]!
          let k = 0
          for (const v of p.key) values[k++]![i] = asText(v)
          for (const c of g.set) values[k++]![i] = asText(p.set.get(c)!)
          for (const c of g.add) values[k++]![i] = asText(p.add.get(c)!)
        }
        await run(text, asJson ? [JSON.stringify(chunk.map((_, i) => values.map((col) => col[i]!)))] : values)
      }
    }
  }
  return { statements, rows }
}
