/**
 * Forecast horizons and windows as the user writes them.
 * - Horizon: `<n>h` or `<n>d` (e.g. 24h, 7d), whole hours from the origin, at most MAX_FORECAST_HOURS.
 * - Window: `START/END`, two ISO 8601 instants with an offset (or `Z`), e.g.
 *   `2025-12-05T12:00:00-05:00/2025-12-12T12:00:00-05:00` (a noon-to-noon Eastern week). Both ends must
 *   fall on a UTC hour (counts are bucketed in UTC hours; offsets such as +05:30 therefore cannot be
 *   represented exactly and are refused rather than silently rounded).
 * Parsers return the value or a one-line message naming the offending text.
 */
import { HOUR_MS, parseInstant, toIsoUtc } from "../time"

/** 60 days: the longest window a forecast simulates (cost and memory grow linearly with it). */
export const MAX_FORECAST_HOURS = 60 * 24

export const parseHorizon = (text: string): number | string => {
  const t = text.trim()
  const m = /^([0-9]+)\s*([hd])$/i.exec(t)
  if (!m) return `"${text}" is not <hours>h or <days>d (e.g. 24h, 7d)`
  const n = Number(m[1])
  const hours = m[2]!.toLowerCase() === "d" ? n * 24 : n
  // A number too large to hold exactly is too long, not too short.
  if (!Number.isSafeInteger(n) || hours > MAX_FORECAST_HOURS) return `"${text}" is longer than the maximum of ${MAX_FORECAST_HOURS / 24} days`
  if (hours < 1) return `"${text}" must be at least 1 hour`
  return hours
}

/** Comma-separated horizons (`24h,7d`) as hours, or why one of them is not a horizon. */
export const parseHorizonList = (text: string): ReadonlyArray<number> | string => {
  const out: number[] = []
  for (const part of text.split(",")) {
    const hours = parseHorizon(part)
    if (typeof hours === "string") return hours
    out.push(hours)
  }
  return out
}

/** `24h`, `36h`, `7d`: whole days from 2 days on, hours below. */
export const formatHorizon = (hours: number): string => (hours % 24 === 0 && hours >= 48 ? `${hours / 24}d` : `${hours}h`)

export interface CountWindow {
  /** Epoch ms, on a UTC hour. */
  readonly start: number
  /** Epoch ms (exclusive), on a UTC hour, after `start`. */
  readonly end: number
}

export const windowHours = (w: CountWindow): number => (w.end - w.start) / HOUR_MS

export const parseWindow = (text: string): CountWindow | string => {
  const parts = text.split("/")
  if (parts.length !== 2 || parts[0]!.trim() === "" || parts[1]!.trim() === "")
    return `"${text}" is not START/END (two ISO 8601 instants with offsets, e.g. 2025-12-05T12:00:00-05:00/2025-12-12T12:00:00-05:00)`
  const [a, b] = parts as [string, string]
  const start = parseInstant(a)
  if (start === undefined) return `start "${a.trim()}" is not an ISO 8601 instant with an offset (e.g. 2025-12-05T12:00:00-05:00)`
  const end = parseInstant(b)
  if (end === undefined) return `end "${b.trim()}" is not an ISO 8601 instant with an offset (e.g. 2025-12-12T12:00:00-05:00)`
  if (start % HOUR_MS !== 0) return `start "${a.trim()}" (${toIsoUtc(start)}) is not on a UTC hour; counts are kept per UTC hour`
  if (end % HOUR_MS !== 0) return `end "${b.trim()}" (${toIsoUtc(end)}) is not on a UTC hour; counts are kept per UTC hour`
  if (end <= start) return `"${text}": the end ${toIsoUtc(end)} is not after the start ${toIsoUtc(start)}`
  if ((end - start) / HOUR_MS > MAX_FORECAST_HOURS) return `"${text}" is longer than the maximum of ${MAX_FORECAST_HOURS / 24} days`
  return { start, end }
}
