/**
 * Daily blocks for the level models (ewma_level, nb_local_level): 24-hour sums of the hourly counts,
 * aligned so that the last block ends exactly at the origin. With Monday 00:00 UTC origins the blocks
 * are UTC days; at any other origin hour they are the 24 h blocks that the forecast's own days follow.
 */
import { HOUR_MS } from "../../time"
import type { HourlySeries } from "../model"

export const BLOCK_HOURS = 24

/** Block totals, oldest first, of the complete 24 h blocks ending at the end of `hourly`. */
export const dailyBlocks = (hourly: HourlySeries): Float64Array => {
  const c = hourly.counts
  const n = Math.floor(c.length / BLOCK_HOURS)
  const out = new Float64Array(n)
  const first = c.length - n * BLOCK_HOURS
  for (let b = 0; b < n; b++) {
    let s = 0
    for (let h = first + b * BLOCK_HOURS; h < first + (b + 1) * BLOCK_HOURS; h++) s += c[h]!
    out[b] = s
  }
  return out
}

/** Epoch ms at which block `b` (of `dailyBlocks`) starts. */
export const blockStart = (hourly: HourlySeries, blocks: number, b: number): number => {
  const end = hourly.start + hourly.counts.length * HOUR_MS
  return end - (blocks - b) * BLOCK_HOURS * HOUR_MS
}
