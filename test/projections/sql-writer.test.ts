/**
 * flushBuffer's statements carry values as text through column arrays (unnest), or, for a table with an
 * array-typed column, through one JSON parameter. Both must deliver every value exactly as written —
 * quotes, backslashes, braces, commas, the text "NULL", empty strings, newlines, non-ASCII, null — into
 * text, jsonb, timestamptz, numeric, double precision and boolean columns, on PGlite and on PostgreSQL.
 */
import { Effect, Layer } from "effect"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { SqlDatabase } from "../../src/adapters/sql/database"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { SqlDatabasePostgres } from "../../src/adapters/sql/postgres"
import { WriteBuffer } from "../../src/projections/buffer"
import { tableShape } from "../../src/projections/shape"
import { flushBuffer } from "../../src/projections/sql-writer"
import { UntypedWrite as Write } from "../../src/projections/write"
import { withTempDataDir } from "../support/pglite"
import { withTempDatabase } from "../support/postgres"

const AWKWARD = ['a"b', "back\\slash", "{brace}", "comma,separated", "NULL", "", "line\nbreak", "tab\tand space ", "ünï€ode 🐦", "'single'"]

interface Row {
  readonly id: string
  readonly label: string | null
  readonly doc: string
  readonly at: string
  readonly big: string
  readonly x: number | null
  readonly flag: boolean | null
}

const rows: ReadonlyArray<Row> = AWKWARD.map((label, i) => ({
  id: `k${label}${i}`,
  label: i % 4 === 3 ? null : label,
  doc: JSON.stringify({ label, n: i, nested: [label, null] }),
  at: new Date(Date.UTC(2025, 0, 1, i)).toISOString(),
  big: (2n ** 63n - 1n - BigInt(i)).toString(),
  x: i % 3 === 0 ? null : i / 7,
  flag: i % 5 === 4 ? null : i % 2 === 0
}))

/** An element of a PostgreSQL array literal, quoted and escaped. */
const arrayElement = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`

const roundTrip = (layer: Layer.Layer<SqlDatabase, unknown>) =>
  Effect.runPromise(
    Effect.provide(
      Effect.gen(function* () {
        const { db } = yield* SqlDatabase
        return yield* Effect.promise(async () => {
          await sql`create table w (id text primary key, label text, doc jsonb not null, at timestamptz not null, big numeric(40,0) not null, x double precision, flag boolean)`.execute(db)
          await sql`create table wa (id text primary key, tags text[] not null)`.execute(db)
          const buffer = new WriteBuffer([await tableShape(db, undefined, "w"), await tableShape(db, undefined, "wa")])
          for (const r of rows) {
            buffer.add(Write.upsert("w", { ...r }))
            buffer.add(Write.upsert("wa", { id: r.id, tags: `{${arrayElement(r.id)},"x"}` }))
          }
          await flushBuffer(db, undefined, buffer)
          const w = await sql<{ id: string; label: string | null; doc: unknown; at_ms: number; big: string; x: number | null; flag: boolean | null }>`
            select id, label, doc, (extract(epoch from at) * 1000)::float8 as at_ms, big::text as big, x, flag from w order by id`.execute(db)
          const wa = await sql<{ id: string; first: string; n: number }>`select id, tags[1] as first, array_length(tags, 1) as n from wa order by id`.execute(db)
          return { w: w.rows, wa: wa.rows }
        })
      }),
      layer
    )
  )

const expectExact = (got: Awaited<ReturnType<typeof roundTrip>>) => {
  expect(got.w.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort())
  for (const r of rows) {
    const g = got.w.find((x) => x.id === r.id)!
    expect(g.label).toBe(r.label)
    expect(typeof g.doc === "string" ? JSON.parse(g.doc) : g.doc).toEqual(JSON.parse(r.doc))
    expect(Number(g.at_ms)).toBe(Date.parse(r.at))
    expect(g.big).toBe(r.big)
    expect(g.x === null ? null : Number(g.x)).toBe(r.x)
    expect(g.flag).toBe(r.flag)
    // The array-typed table went through the JSON form: a two-element array, the id intact.
    const a = got.wa.find((x) => x.id === r.id)
    expect([a?.first, Number(a?.n)]).toEqual([r.id, 2])
  }
}

describe("flushBuffer delivers every value exactly", () => {
  const dir = withTempDataDir()
  const pg = withTempDatabase()

  it("on PGlite", async () => {
    expectExact(await roundTrip(SqlDatabasePglite(`${dir}/store`)))
  })

  it("on PostgreSQL", async () => {
    expectExact(await roundTrip(SqlDatabasePostgres(pg.url())))
  })
})
