/**
 * Parsing an `enrich import` file into AddEvent inputs (pure; the decider validates each one).
 *
 * JSON: an array of objects, or `{ "events": [...] }`, each with name, start, end, intensity and
 * optionally knownAt (or known_at), kind, tags (array, or one string split on ";"), id (or eventId),
 * account (the one account the event bears on; absent or empty: every account).
 * CSV (RFC 4180 quoting): a header naming the columns name,start,end,intensity and optionally
 * known_at, kind, tags (";"-separated), id, account; one event a row.
 */
import type { AddEventInput } from "./decider"

export interface ImportRow {
  /** 1-based line (CSV) or item number (JSON), for error messages. */
  readonly where: string
  readonly input: AddEventInput
}

export type ImportParse = { readonly ok: true; readonly rows: ReadonlyArray<ImportRow> } | { readonly ok: false; readonly errors: ReadonlyArray<string> }

const splitTags = (v: unknown): ReadonlyArray<string> | string => {
  if (v === undefined || v === null || v === "") return []
  if (typeof v === "string") return v.split(";").map((t) => t.trim()).filter((t) => t.length > 0)
  if (Array.isArray(v) && v.every((t) => typeof t === "string")) return v as string[]
  return "tags must be a list of strings or one string separated by ;"
}

const optionalText = (o: Record<string, unknown>, ...keys: string[]): string | undefined | { error: string } => {
  for (const k of keys) {
    const v = o[k]
    if (v === undefined || v === null || v === "") continue
    return typeof v === "string" ? v : { error: `${k} must be a string` }
  }
  return undefined
}

const KNOWN = new Set(["name", "start", "end", "intensity", "knownAt", "known_at", "kind", "tags", "id", "eventId", "account"])

/** One record (from JSON or a CSV row as an object) to an AddEvent input, or what is wrong with it. */
const toInput = (o: Record<string, unknown>): AddEventInput | string => {
  const unknown = Object.keys(o).filter((k) => !KNOWN.has(k))
  if (unknown.length > 0) return `unknown field ${unknown.map((k) => `"${k}"`).join(", ")}`
  for (const k of ["name", "start", "end"] as const) if (typeof o[k] !== "string" || o[k] === "") return `${k} is required (a string)`
  const intensity = o.intensity
  if (typeof intensity !== "number" && (typeof intensity !== "string" || intensity === "")) return "intensity is required (a number in [0, 1])"
  const knownAt = optionalText(o, "knownAt", "known_at")
  const kind = optionalText(o, "kind")
  const id = optionalText(o, "id", "eventId")
  const account = optionalText(o, "account")
  for (const v of [knownAt, kind, id, account]) if (typeof v === "object") return v.error
  const tags = splitTags(o.tags)
  if (typeof tags === "string") return tags
  return {
    name: o.name as string,
    start: o.start as string,
    end: o.end as string,
    intensity,
    tags,
    ...(knownAt !== undefined && { knownAt: knownAt as string }),
    ...(kind !== undefined && { kind: kind as string }),
    ...(id !== undefined && { eventId: id as string }),
    ...(account !== undefined && { account: account as string })
  }
}

/** RFC 4180 records: fields split on commas, "quoted" fields may hold commas, quotes ("") and newlines. */
export const parseCsvRecords = (text: string): { readonly records: string[][]; readonly lines: number[] } | string => {
  const records: string[][] = []
  const lines: number[] = []
  let field = ""
  let record: string[] = []
  let quoted = false
  let line = 1
  let recordLine = 1
  let i = 0
  const src = text.replace(/^\uFEFF/, "")
  const endRecord = () => {
    record.push(field)
    field = ""
    if (!(record.length === 1 && record[0]!.trim() === "")) {
      records.push(record)
      lines.push(recordLine)
    }
    record = []
  }
  while (i < src.length) {
    const c = src[i]!
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else {
        if (c === "\n") line++
        field += c
      }
      i++
      continue
    }
    if (c === '"') {
      if (field.trim() !== "") return `line ${line}: a quote inside an unquoted field`
      field = ""
      quoted = true
    } else if (c === ",") {
      record.push(field)
      field = ""
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++
      endRecord()
      line++
      recordLine = line
    } else field += c
    i++
  }
  if (quoted) return `line ${recordLine}: unterminated quoted field`
  endRecord()
  return { records, lines }
}

const HEADER: Record<string, string> = {
  name: "name",
  start: "start",
  end: "end",
  intensity: "intensity",
  known_at: "knownAt",
  knownat: "knownAt",
  kind: "kind",
  tags: "tags",
  id: "id",
  event_id: "id",
  eventid: "id",
  account: "account"
}

const parseCsv = (text: string): ImportParse => {
  const parsed = parseCsvRecords(text)
  if (typeof parsed === "string") return { ok: false, errors: [parsed] }
  const { records, lines } = parsed
  if (records.length === 0) return { ok: false, errors: ["the file is empty"] }
  const header = records[0]!.map((h) => h.trim().toLowerCase())
  const unknown = header.filter((h) => HEADER[h] === undefined)
  if (unknown.length > 0) return { ok: false, errors: [`line ${lines[0]}: unknown column ${unknown.map((h) => `"${h}"`).join(", ")} (known: ${Object.keys(HEADER).join(", ")})`] }
  for (const required of ["name", "start", "end", "intensity"])
    if (!header.includes(required)) return { ok: false, errors: [`line ${lines[0]}: the header must name the column ${required}`] }
  const rows: ImportRow[] = []
  const errors: string[] = []
  for (let r = 1; r < records.length; r++) {
    const where = `line ${lines[r]}`
    const cells = records[r]!
    if (cells.length !== header.length) {
      errors.push(`${where}: ${cells.length} fields, the header has ${header.length}`)
      continue
    }
    const o: Record<string, unknown> = {}
    header.forEach((h, j) => (o[HEADER[h]!] = cells[j]!.trim()))
    const input = toInput(o)
    if (typeof input === "string") errors.push(`${where}: ${input}`)
    else rows.push({ where, input })
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows }
}

const parseJson = (text: string): ImportParse => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return { ok: false, errors: [`not valid JSON: ${e instanceof Error ? e.message : String(e)}`] }
  }
  const list = Array.isArray(value) ? value : typeof value === "object" && value !== null && Array.isArray((value as { events?: unknown }).events) ? (value as { events: unknown[] }).events : undefined
  if (list === undefined) return { ok: false, errors: ['expected an array of events or {"events": [...]}'] }
  const rows: ImportRow[] = []
  const errors: string[] = []
  list.forEach((item, i) => {
    const where = `event ${i + 1}`
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      errors.push(`${where}: not an object`)
      return
    }
    const input = toInput(item as Record<string, unknown>)
    if (typeof input === "string") errors.push(`${where}: ${input}`)
    else rows.push({ where, input })
  })
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows }
}

/** Parses by content: JSON when the first non-blank character is `[` or `{`, else CSV. */
export const parseImportFile = (text: string): ImportParse => {
  const first = text.replace(/^\uFEFF/, "").trimStart()[0]
  if (first === undefined) return { ok: false, errors: ["the file is empty"] }
  return first === "[" || first === "{" ? parseJson(text) : parseCsv(text)
}
