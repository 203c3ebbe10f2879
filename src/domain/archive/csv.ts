/**
 * Tweet archive CSV: header `tweet_id,created_at[,kind[,...]]` (extra columns ignored), one tweet a row.
 * Pure parsing with line-numbered errors; the import program streams the file and validates every row
 * before anything is written.
 */
import { parseInstant } from "../time"
import { createdAtProblem, tweetIdProblem } from "../ingestion/tweet-id"

import { ALL_TWEET_KINDS, type TweetKind } from "../events/tweet"

export type { TweetKind }
const KINDS: ReadonlySet<string> = new Set(ALL_TWEET_KINDS)

export interface ArchiveRow {
  readonly tweetId: string
  /** Epoch ms (UTC). */
  readonly createdAt: number
  readonly kind: TweetKind
  readonly line: number
}

export interface ArchiveHeader {
  readonly idIndex: number
  readonly createdIndex: number
  readonly kindIndex: number | undefined
}

/** Returns the column layout, or a message naming what is missing. */
export const parseHeader = (line: string): ArchiveHeader | string => {
  const cols = line.replace(/^\uFEFF/, "").split(",").map((c) => c.trim().toLowerCase())
  const idIndex = cols.indexOf("tweet_id")
  const createdIndex = cols.indexOf("created_at")
  if (idIndex < 0 || createdIndex < 0) return `header must name the columns tweet_id and created_at (got "${printable(line, 80)}")`
  const k = cols.indexOf("kind")
  return { idIndex, createdIndex, kindIndex: k < 0 ? undefined : k }
}

/** `text` cut to `max` characters with anything outside printable ASCII shown as `?` (error lines stay one clean line). */
export const printable = (text: string, max: number): string => {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text
  return cut.replace(/[^\x20-\x7e]/g, "?")
}

/**
 * Parse one data row; returns the row or a message saying what is wrong with it. `observedAt` is when
 * the archive is read: no tweet can be created after it (src/domain/ingestion/tweet-id.ts has the rules).
 */
export const parseRow = (header: ArchiveHeader, text: string, line: number, observedAt: number): ArchiveRow | string => {
  const cells = text.split(",")
  const id = cells[header.idIndex]?.trim() ?? ""
  const created = cells[header.createdIndex]?.trim() ?? ""
  // Checked here so a bad row fails the whole file before anything is written, not half-way through.
  const idProblem = tweetIdProblem(printable(id, 40))
  if (idProblem !== undefined) return idProblem
  const createdAt = parseInstant(created)
  if (createdAt === undefined) return `created_at "${printable(created, 40)}" is not an ISO 8601 instant with an offset (e.g. 2025-01-15T12:00:00.000Z)`
  let kind: TweetKind = "post"
  if (header.kindIndex !== undefined) {
    const k = (cells[header.kindIndex] ?? "").trim().toLowerCase()
    if (k !== "") {
      if (!KINDS.has(k)) return `kind "${k}" is not one of post, reply, quote, retweet`
      kind = k as TweetKind
    }
  }
  const timeProblem = createdAtProblem(id, createdAt, observedAt, kind)
  if (timeProblem !== undefined) return timeProblem
  return { tweetId: id, createdAt, kind, line }
}
