/**
 * Coalescing: applying a batch's writes through the buffer (one statement per row group) gives the
 * same table as an independent in-test model applying each write in turn — on real PGlite.
 */
import { PGlite } from "@electric-sql/pglite"
import fc from "fast-check"
import { Kysely, sql } from "kysely"
import { PGliteDialect } from "kysely-pglite-dialect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { InvalidWrite, WriteBuffer, type TableShape } from "../../src/projections/buffer"
import { flushBuffer } from "../../src/projections/sql-writer"
import { tableShape } from "../../src/projections/shape"
import { UntypedWrite as Write, type Row, type Write as WriteOp } from "../../src/projections/write"

type Model = Map<string, Record<string, unknown>>

const defaults = (a: string, b: number) => ({ a, b, s: null, n: 0, m: null })
const keyOf = (a: unknown, b: unknown) => `${a}|${b}`

/** The semantics of write.ts, one write at a time (the oracle). */
const applyModel = (model: Model, w: WriteOp): void => {
  const row = (w._tag === "Upsert" || w._tag === "Merge" ? w.row : w.key) as { a: string; b: number }
  const k = keyOf(row.a, row.b)
  switch (w._tag) {
    case "Upsert":
      model.set(k, { ...defaults(row.a, row.b), ...w.row })
      return
    case "Merge":
      model.set(k, { ...(model.get(k) ?? defaults(row.a, row.b)), ...w.row })
      return
    case "Increment": {
      const r: Record<string, unknown> = { ...(model.get(k) ?? defaults(row.a, row.b)) }
      for (const [c, d] of Object.entries(w.by)) r[c] = ((r[c] as number | null) ?? 0) + d
      model.set(k, r)
      return
    }
    case "Delete":
      model.delete(k)
  }
}

const keyArb = fc.record({ a: fc.constantFrom("x", "y", "z"), b: fc.integer({ min: 0, max: 2 }) })
const writeArb: fc.Arbitrary<WriteOp> = fc.oneof(
  fc
    .record({ k: keyArb, s: fc.option(fc.string({ maxLength: 3 })), n: fc.integer({ min: -5, max: 5 }), m: fc.option(fc.integer({ min: -9, max: 9 })) })
    .map(({ k, s, n, m }) => Write.upsert("t", { ...k, s, n, m })),
  fc
    .record({ k: keyArb, s: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }), n: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }) })
    .map(({ k, s, n }) => {
      const row: Record<string, string | number | null> = { ...k }
      if (s !== undefined) row.s = s
      if (n !== undefined) row.n = n
      return Write.merge("t", row as Row)
    }),
  fc
    .record({ k: keyArb, n: fc.integer({ min: -3, max: 3 }), m: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }) })
    .map(({ k, n, m }) => Write.increment("t", k, m === undefined ? { n } : { n, m })),
  keyArb.map((k) => Write.delete("t", k))
)

describe("WriteBuffer + flushBuffer", () => {
  let db: Kysely<any>
  let shape: TableShape

  beforeAll(async () => {
    db = new Kysely<any>({ dialect: new PGliteDialect(await PGlite.create()) })
    await sql`create table t (a text, b integer, s text, n integer not null default 0, m double precision, primary key (a, b))`.execute(db)
    shape = await tableShape(db, undefined, "t")
  })
  afterAll(async () => {
    await db.destroy()
  })

  it("introspects columns in order and the composite primary key", () => {
    expect(shape).toEqual({ name: "t", columns: ["a", "b", "s", "n", "m"], types: ["text", "integer", "text", "integer", "double precision"], primaryKey: ["a", "b"] })
  })

  it("refuses a missing table and a table without primary key as read models", async () => {
    await expect(tableShape(db, undefined, "no_such_table")).rejects.toThrow(/"no_such_table": does not exist/)
    await sql`create table no_key (a text)`.execute(db)
    await expect(tableShape(db, undefined, "no_key")).rejects.toThrow(/has no primary key/)
  })

  it("coalesced writes give the table that applying each write in turn gives", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(writeArb, { maxLength: 12 }), fc.array(writeArb, { maxLength: 40 }), async (initial, batch) => {
        const model: Model = new Map()
        await sql`truncate t`.execute(db)
        // Initial state written one write at a time (each its own buffer), as the model applies them.
        for (const w of initial) {
          applyModel(model, w)
          const b = new WriteBuffer([shape])
          b.add(w)
          await flushBuffer(db, undefined, b)
        }
        for (const w of batch) applyModel(model, w)
        const buffer = new WriteBuffer([shape])
        buffer.addAll(batch)
        expect(buffer.received).toBe(batch.length)
        await flushBuffer(db, undefined, buffer)
        const rows = (await sql<Record<string, unknown>>`select a, b, s, n, m from t order by a, b`.execute(db)).rows
        const expected = [...model.values()]
          .sort((x, y) => keyOf(x.a, x.b).localeCompare(keyOf(y.a, y.b)))
          .map((r) => ({ a: r.a, b: r.b, s: r.s ?? null, n: r.n, m: r.m ?? null }))
        expect(rows).toEqual(expected)
      }),
      { numRuns: 120 }
    )
  })

  it("collapses many increments of one key into one pending row", () => {
    const b = new WriteBuffer([shape])
    for (let i = 0; i < 1000; i++) b.add(Write.increment("t", { a: "x", b: 1 }, { n: 1 }))
    expect(b.received).toBe(1000)
    expect(b.pendingRows).toBe(1)
  })

  it("refuses writes to other tables, unknown columns and missing keys", () => {
    const b = new WriteBuffer([shape])
    expect(() => b.add(Write.upsert("other", { a: "x", b: 1 }))).toThrow(InvalidWrite)
    expect(() => b.add(Write.upsert("t", { a: "x", b: 1, nope: 1 }))).toThrow(/unknown column "nope"/)
    expect(() => b.add(Write.increment("t", { a: "x" }, { n: 1 }))).toThrow(/missing primary-key column "b"/)
    expect(() => b.add(Write.increment("t", { a: "x", b: 1 }, { b: 1 }))).toThrow(/primary-key/)
  })
})
