/**
 * Coalescing of a batch's writes, in memory and in order, into at most one pending change per row.
 *
 * Each row key holds a normal form {deleted, reset, set, add}: "start from the existing row (or from
 * the defaults when `reset`), assign `set`, then add `add` to counters" — or "delete" when `deleted`.
 * Every Write composes into that form (see write.ts for the semantics), so N increments of one hourly
 * bucket become one `+N`, and flushing the buffer yields the same table as applying each write in turn.
 * Pure: no SQL here (sql-writer.ts turns a buffer into statements).
 */
import type { Row, Value, Write } from "./write"

/** What the runtime knows of a read-model table (introspected from the database, see shape.ts). */
export interface TableShape {
  readonly name: string
  readonly primaryKey: ReadonlyArray<string>
  /** Every column in table order, primary key included. */
  readonly columns: ReadonlyArray<string>
  /** SQL type of each column (format_type), aligned with `columns`. */
  readonly types: ReadonlyArray<string>
}

export interface Pending {
  /** Primary-key values, in primaryKey order. */
  readonly key: ReadonlyArray<Value>
  deleted: boolean
  /** The prior row (if any) is discarded: the result starts from the column defaults. */
  reset: boolean
  readonly set: Map<string, Value>
  readonly add: Map<string, number>
}

/** A handler asked for something the table cannot take (unknown table or column, missing key). */
export class InvalidWrite extends Error {
  constructor(
    readonly table: string,
    reason: string
  ) {
    super(`write to ${table}: ${reason}`)
  }
}

const encode = (v: Value): string => {
  if (v === null) return "N"
  if (v instanceof Date) return "D" + v.getTime()
  switch (typeof v) {
    case "string":
      return "S" + v
    case "number":
      return "F" + v
    case "bigint":
      return "B" + v
    default:
      return "T" + v
  }
}

class TableBuffer {
  readonly rows = new Map<string, Pending>()
  private readonly known: Set<string>
  private readonly keySet: Set<string>

  constructor(readonly shape: TableShape) {
    this.known = new Set(shape.columns)
    this.keySet = new Set(shape.primaryKey)
  }

  private pending(source: Row): Pending {
    const key: Value[] = []
    for (const k of this.shape.primaryKey) {
      const v = source[k]
      if (v === undefined) throw new InvalidWrite(this.shape.name, `missing primary-key column "${k}"`)
      key.push(v)
    }
    const id = key.length === 1 ? encode(key[0]!) : key.map(encode).join("\u0000")
    let p = this.rows.get(id)
    if (!p) {
      p = { key, deleted: false, reset: false, set: new Map(), add: new Map() }
      this.rows.set(id, p)
    }
    return p
  }

  private check(columns: Iterable<string>): void {
    for (const c of columns) if (!this.known.has(c)) throw new InvalidWrite(this.shape.name, `unknown column "${c}"`)
  }

  apply(w: Write): void {
    switch (w._tag) {
      case "Upsert": {
        this.check(Object.keys(w.row))
        const p = this.pending(w.row)
        p.deleted = false
        p.reset = true
        p.set.clear()
        p.add.clear()
        for (const [c, v] of Object.entries(w.row)) if (!this.keySet.has(c) && v !== undefined) p.set.set(c, v)
        return
      }
      case "Merge": {
        this.check(Object.keys(w.row))
        const p = this.pending(w.row)
        this.revive(p)
        for (const [c, v] of Object.entries(w.row)) {
          if (this.keySet.has(c) || v === undefined) continue
          p.set.set(c, v)
          p.add.delete(c)
        }
        return
      }
      case "Increment": {
        this.check(Object.keys(w.by))
        const p = this.pending(w.key)
        this.revive(p)
        for (const [c, d] of Object.entries(w.by)) {
          if (this.keySet.has(c)) throw new InvalidWrite(this.shape.name, `cannot increment primary-key column "${c}"`)
          if (typeof d !== "number" || !Number.isFinite(d)) throw new InvalidWrite(this.shape.name, `increment of "${c}" is not a finite number`)
          if (p.set.has(c)) {
            const prior = p.set.get(c)
            p.set.set(c, (typeof prior === "number" ? prior : prior == null ? 0 : Number(prior)) + d)
          } else p.add.set(c, (p.add.get(c) ?? 0) + d)
        }
        return
      }
      case "Delete": {
        const p = this.pending(w.key)
        p.deleted = true
        p.reset = true
        p.set.clear()
        p.add.clear()
        return
      }
    }
  }

  /** A write after a delete starts from the defaults. */
  private revive(p: Pending): void {
    if (p.deleted) {
      p.deleted = false
      p.reset = true
    }
  }
}

/** The coalesced writes of one projection for one batch, restricted to the projection's own tables. */
export class WriteBuffer {
  private readonly tables = new Map<string, TableBuffer>()
  private writes = 0

  constructor(shapes: ReadonlyArray<TableShape>) {
    for (const s of shapes) this.tables.set(s.name, new TableBuffer(s))
  }

  add(w: Write): void {
    const t = this.tables.get(w.table)
    if (!t) throw new InvalidWrite(w.table, `not one of this projection's tables (${[...this.tables.keys()].join(", ")})`)
    t.apply(w)
    this.writes++
  }

  addAll(ws: ReadonlyArray<Write>): void {
    for (const w of ws) this.add(w)
  }

  /** Writes received (before coalescing). */
  get received(): number {
    return this.writes
  }

  /** Rows pending (after coalescing). */
  get pendingRows(): number {
    let n = 0
    for (const t of this.tables.values()) n += t.rows.size
    return n
  }

  *entries(): Iterable<{ readonly shape: TableShape; readonly rows: ReadonlyArray<Pending> }> {
    for (const t of this.tables.values()) if (t.rows.size > 0) yield { shape: t.shape, rows: [...t.rows.values()] }
  }
}
