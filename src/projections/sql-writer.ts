/**
 * Turns a coalesced WriteBuffer into a few multi-row statements against one schema: one DELETE per
 * table chunk, then one `INSERT ... ON CONFLICT DO UPDATE` per (table, column set) chunk. Keys are
 * distinct within a buffer, so the statements commute and their order does not matter.
 * Runs inside the caller's transaction; never commits.
 */
import { CompiledQuery, type Kysely } from "kysely"
import type { Pending, WriteBuffer } from "./buffer"
import type { Value } from "./write"

/** Parameters per statement: well under PostgreSQL's 65,535, large enough to amortise round trips. */
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

const placeholders = (rows: number, cols: number): string => {
  const parts: string[] = []
  let n = 1
  for (let r = 0; r < rows; r++) {
    const ps: string[] = []
    for (let c = 0; c < cols; c++) ps.push(`$${n++}`)
    parts.push(`(${ps.join(",")})`)
  }
  return parts.join(",")
}

export interface FlushStats {
  readonly statements: number
  readonly rows: number
}

/** Applies `buffer` to the tables of `schema` (undefined: the live tables). */
export const flushBuffer = async (db: Kysely<any>, schema: string | undefined, buffer: WriteBuffer): Promise<FlushStats> => {
  let statements = 0
  let rows = 0
  const run = async (text: string, params: Value[]): Promise<void> => {
    await db.executeQuery(CompiledQuery.raw(text, params))
    statements++
  }
  for (const { shape, rows: pendings } of buffer.entries()) {
    rows += pendings.length
    const table = qualify(schema, shape.name)
    const pk = shape.primaryKey
    const pkList = pk.map(quoteIdent).join(",")

    // Rows that end deleted. (A reset row that ends present is replaced by its upsert below.)
    const gone = pendings.filter((p) => p.deleted)
    for (const chunk of chunks(gone, Math.max(1, Math.floor(MAX_PARAMS / pk.length)))) {
      const params = chunk.flatMap((p) => p.key as Value[])
      const list = pk.length === 1 ? placeholders(chunk.length, 1).replace(/[()]/g, "") : placeholders(chunk.length, pk.length)
      await run(`delete from ${table} where ${pk.length === 1 ? pkList : `(${pkList})`} in (${list})`, params)
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
      for (const chunk of chunks(g.rows, Math.max(1, Math.floor(MAX_PARAMS / cols.length)))) {
        const params: Value[] = []
        for (const p of chunk) {
          for (const v of p.key) params.push(v)
          for (const c of g.set) params.push(p.set.get(c)!)
          for (const c of g.add) params.push(p.add.get(c)!)
        }
        await run(
          `insert into ${table} as t (${cols.map(quoteIdent).join(",")}) values ${placeholders(chunk.length, cols.length)} on conflict (${pkList}) ${conflict}`,
          params
        )
      }
    }
  }
  return { statements, rows }
}
