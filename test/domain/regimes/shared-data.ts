/** Reads the shared tweet CSV (never copied into the project) into sorted epoch-ms instants. */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"

export const SHARED_CSV = resolve(process.cwd(), "../shared/data/elonmusk-tweets-2022-11-to-2025-12.csv")

let cache: Float64Array | undefined

export const loadTweetTimes = (): Float64Array => {
  if (cache) return cache
  const lines = readFileSync(SHARED_CSV, "utf8").split("\n")
  const header = lines[0]!.split(",")
  const col = header.indexOf("created_at")
  if (col < 0) throw new Error("created_at column missing")
  const out: number[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === "") continue
    const ms = Date.parse(line.split(",")[col]!)
    if (Number.isNaN(ms)) throw new Error(`bad created_at on line ${i + 1}`)
    out.push(ms)
  }
  cache = Float64Array.from(out).sort()
  return cache
}
