/** The shared real data set (../shared/data), read in place: never copied into the project. */
import { readFileSync } from "node:fs"
import { join } from "node:path"

export const SHARED_CSV = join(process.cwd(), "../shared/data/elonmusk-tweets-2022-11-to-2025-12.csv")

/** created_at of every row as epoch ms, ascending. */
export const loadSharedTweetTimes = (): Float64Array => {
  const lines = readFileSync(SHARED_CSV, "utf8").split("\n")
  const out: number[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line.length > 0) out.push(Date.parse(line.split(",")[1]!))
  }
  return Float64Array.from(out).sort()
}
