import { WEEK_MS } from "../time"

/**
 * Count brackets for the demo's forecast, the way a prediction market lists them: equal-width ranges
 * around the recent weekly level with open ends, e.g. "0-379,380-419,...,700+".
 */
export const demoBrackets = (recentWeekTotals: ReadonlyArray<number>): string => {
  const sorted = [...recentWeekTotals].sort((a, b) => a - b)
  const median = sorted.length === 0 ? 400 : sorted[Math.floor(sorted.length / 2)]!
  const width = Math.max(10, Math.round((median * 0.1) / 10) * 10)
  const lo = Math.max(width, Math.floor((median - 3 * width) / width) * width)
  const parts = [`0-${lo - 1}`]
  for (let k = 0; k < 6; k++) parts.push(`${lo + k * width}-${lo + (k + 1) * width - 1}`)
  parts.push(`${lo + 6 * width}+`)
  return parts.join(",")
}

/**
 * The totals of the `weeks` seven-day spans that end at `nowMs` (most recent first): the level a market
 * would list brackets around when the window opens. Spans up to now, not the last backtest origins'
 * weeks, so a level that moved in the last week or two is not missed.
 */
export const recentWeekTotals = (createdAtMs: ReadonlyArray<number>, nowMs: number, weeks = 4): ReadonlyArray<number> => {
  const totals = new Array<number>(weeks).fill(0)
  for (const ms of createdAtMs) {
    const k = Math.floor((nowMs - ms) / WEEK_MS)
    if (ms < nowMs && k < weeks) totals[k]! += 1
  }
  return totals
}
