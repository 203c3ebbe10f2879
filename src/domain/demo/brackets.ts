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
