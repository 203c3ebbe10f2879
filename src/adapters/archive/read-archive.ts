/**
 * Reads a tweet archive CSV fully and validates every row before anything is written, so a bad file
 * fails with `FILE:LINE: what is wrong` and leaves the store untouched. With `skipInvalid`, invalid rows
 * are left out instead, and every one is returned with its line and reason (never dropped silently).
 */
import { Data, Effect } from "effect"
import { createReadStream } from "node:fs"
import { stat } from "node:fs/promises"
import { createInterface } from "node:readline"
import { parseHeader, parseRow, type ArchiveRow } from "../../domain/archive/csv"

export class ArchiveError extends Data.TaggedError("ArchiveError")<{
  readonly file: string
  readonly line?: number
  readonly reason: string
}> {
  override get message(): string {
    return `${this.file}${this.line !== undefined ? `:${this.line}` : ""}: ${this.reason}`
  }
}

export interface SkippedRow {
  readonly line: number
  readonly reason: string
}

export interface ArchiveContents {
  readonly rows: ReadonlyArray<ArchiveRow>
  readonly skipped: ReadonlyArray<SkippedRow>
}

export const readArchive = (file: string): Effect.Effect<ReadonlyArray<ArchiveRow>, ArchiveError> =>
  Effect.map(readArchiveContents(file, { skipInvalid: false }), (c) => c.rows)

/** The rows of the archive, and with `skipInvalid` the invalid rows it left out. */
export const readArchiveContents = (file: string, options: { readonly skipInvalid: boolean }): Effect.Effect<ArchiveContents, ArchiveError> =>
  Effect.tryPromise({
    try: async () => {
      const info = await stat(file).catch(() => undefined)
      if (!info || !info.isFile()) throw new ArchiveError({ file, reason: "no such file" })
      const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity })
      const rows: ArchiveRow[] = []
      const skipped: SkippedRow[] = []
      // The moment of reading: a row may not claim a tweet created after it.
      const observedAt = Date.now()
      let header: ReturnType<typeof parseHeader> | undefined
      let line = 0
      for await (const text of rl) {
        line++
        if (text.trim() === "") continue
        if (header === undefined) {
          header = parseHeader(text)
          if (typeof header === "string") throw new ArchiveError({ file, line, reason: header })
          continue
        }
        const row = parseRow(header as Exclude<typeof header, string>, text, line, observedAt)
        if (typeof row === "string") {
          if (!options.skipInvalid) throw new ArchiveError({ file, line, reason: row })
          skipped.push({ line, reason: row })
        } else rows.push(row)
      }
      if (header === undefined) throw new ArchiveError({ file, reason: "empty file (expected a header tweet_id,created_at[,kind])" })
      return { rows, skipped }
    },
    catch: (e) => (e instanceof ArchiveError ? e : new ArchiveError({ file, reason: e instanceof Error ? e.message : String(e) }))
  })
