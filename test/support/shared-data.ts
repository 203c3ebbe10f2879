/**
 * The one fixture for the shared real data set (../shared/data) and reference vectors
 * (../shared/reference): read in place, never copied into the project, parsed once per test process.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"

export const SHARED_DIR = join(process.cwd(), "../shared")
export const SHARED_CSV = join(SHARED_DIR, "data/elonmusk-tweets-2022-11-to-2025-12.csv")
export const SHARED_REFERENCE = join(SHARED_DIR, "reference")

export interface SharedRow {
  readonly id: string
  /** created_at, epoch ms. */
  readonly createdAt: number
  readonly kind: "post" | "reply" | "quote" | "retweet"
}

let rows: ReadonlyArray<SharedRow> | undefined

/** Every row of the CSV in file order (parsed once; a malformed row fails loudly). */
export const sharedRows = (): ReadonlyArray<SharedRow> => {
  if (rows !== undefined) return rows
  const lines = readFileSync(SHARED_CSV, "utf8").split("\n")
  const header = lines[0]!.split(",")
  const [idAt, createdAt, kindAt] = ["tweet_id", "created_at", "kind"].map((c) => header.indexOf(c))
  if (idAt! < 0 || createdAt! < 0 || kindAt! < 0) throw new Error(`${SHARED_CSV}: header ${lines[0]} lacks tweet_id, created_at or kind`)
  const out: SharedRow[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === "") continue
    const f = line.split(",")
    const ms = Date.parse(f[createdAt!]!)
    if (Number.isNaN(ms)) throw new Error(`${SHARED_CSV}:${i + 1}: bad created_at`)
    out.push({ id: f[idAt!]!, createdAt: ms, kind: f[kindAt!] as SharedRow["kind"] })
  }
  rows = out
  return rows
}

let times: Float64Array | undefined

/** created_at of every row as epoch ms, ascending (a fresh copy: callers may sort or edit it). */
export const loadSharedTweetTimes = (): Float64Array => {
  times ??= Float64Array.from(sharedRows(), (r) => r.createdAt).sort()
  return times.slice()
}
