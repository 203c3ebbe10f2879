/**
 * Forecast origins of the evaluation protocol (../shared/PROTOCOL.md): every Monday 00:00 UTC.
 */
import { HOUR_MS, WEEK_MS, hourFloor, mondaysBetween, parseInstant, toIsoUtc, weekFloor } from "../time"

/** The 25 development origins: 2025-07-07 .. 2025-12-22. */
export const DEV_ORIGINS_FROM = Date.UTC(2025, 6, 7)
export const DEV_ORIGINS_TO = Date.UTC(2025, 11, 22)
export const devOrigins = (): number[] => mondaysBetween(DEV_ORIGINS_FROM, DEV_ORIGINS_TO)

/**
 * Parse `FROM..TO` (dates or instants, UTC) into every Monday 00:00 UTC in that range.
 * Returns a message instead when the text is malformed or the range is empty/reversed.
 */
export const parseOriginRange = (text: string): number[] | string => {
  const parts = text.split("..")
  if (parts.length !== 2) return `must look like 2025-07-07..2025-12-22, got "${text}"`
  const from = parseInstant(parts[0]!)
  const to = parseInstant(parts[1]!)
  if (from === undefined) return `"${parts[0]}" is not a date (YYYY-MM-DD or ISO instant with offset)`
  if (to === undefined) return `"${parts[1]}" is not a date (YYYY-MM-DD or ISO instant with offset)`
  if (to < from) return `"${text}" is reversed (its end is before its start)`
  const out = mondaysBetween(from, to)
  return out.length > 0 ? out : `"${text}" holds no Monday 00:00 UTC`
}

/**
 * The latest `count` Mondays whose full week of actuals [T, T+168h) has been observed by `dataEnd`
 * (exclusive end of the observed data), oldest first.
 */
export const latestOrigins = (dataEnd: number, count: number): number[] => {
  let last = weekFloor(dataEnd)
  if (last + WEEK_MS > dataEnd) last -= WEEK_MS
  const out: number[] = []
  for (let i = count - 1; i >= 0; i--) out.push(last - i * WEEK_MS)
  return out
}

export const describeOrigins = (origins: ReadonlyArray<number>): string =>
  origins.length === 0 ? "no origins" : `${origins.length} origins ${toIsoUtc(origins[0]!)} .. ${toIsoUtc(origins[origins.length - 1]!)}`

/**
 * The origin a "latest" fit or forecast is made at: the start of the hour after the newest tweet's hour,
 * but never later than the current hour (an hour still running is incomplete). `now` is passed in.
 */
export const latestFitOrigin = (lastTweetAt: number, now: number): number => Math.min(hourFloor(lastTweetAt) + HOUR_MS, hourFloor(now))
