/** The shared real data set for benchmarks (read from ../shared/data, never copied into the project). */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

export const TWEETS_CSV = fileURLToPath(new URL("../../shared/data/elonmusk-tweets-2022-11-to-2025-12.csv", import.meta.url))

/** created_at of every tweet as epoch ms, ascending (the CSV's second column). */
export const loadTweetTimes = (path: string = TWEETS_CSV): Float64Array => {
  const lines = readFileSync(path, "utf8").split("\n")
  const out: number[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line.length === 0) continue
    const ms = Date.parse(line.split(",")[1]!)
    if (Number.isNaN(ms)) throw new Error(`${path}:${i + 1}: bad created_at`)
    out.push(ms)
  }
  return Float64Array.from(out).sort()
}
