/**
 * Calendar windows on a schedule, as prediction markets define them: "the week from Friday noon
 * US Eastern to the next Friday noon". A schedule is `<weekday> <HH:MM> <IANA time zone> <N>d`, e.g.
 * `fri 12:00 America/New_York 7d`; the window containing an instant starts at the latest such local
 * time at or before it and ends N local days later (so a week across a daylight-saving change is 167 or
 * 169 hours long, as the market's is). Time-zone arithmetic uses the runtime's IANA data (Intl).
 */

import { HOUR_MS } from "../time"

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const

export interface WindowSchedule {
  /** 0 = Sunday .. 6 = Saturday, in the zone. */
  readonly weekday: number
  readonly hour: number
  readonly minute: number
  readonly zone: string
  readonly days: number
  /** The schedule as given, normalised: `fri 12:00 America/New_York 7d`. */
  readonly label: string
}

const pad = (n: number): string => String(n).padStart(2, "0")

const formatterFor = (zone: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", weekday: "short" })

/** Local wall-clock fields of an instant in a zone. */
const localFields = (fmt: Intl.DateTimeFormat, ms: number) => {
  const parts = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number])
  }
}

/** The zone's offset from UTC at an instant (ms; positive east of Greenwich). */
const offsetAt = (fmt: Intl.DateTimeFormat, ms: number): number => {
  const f = localFields(fmt, ms)
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(ms / 1000) * 1000
}

/** The instant of a local wall-clock time in the zone (the earlier one where a time repeats). */
const instantOfLocal = (fmt: Intl.DateTimeFormat, y: number, m: number, d: number, hh: number, mm: number): number => {
  const wall = Date.UTC(y, m - 1, d, hh, mm)
  let guess = wall - offsetAt(fmt, wall)
  guess = wall - offsetAt(fmt, guess)
  return guess
}

/** A schedule from its text, or why the text is not one. */
export const parseWindowSchedule = (raw: string): WindowSchedule | string => {
  const m = /^\s*([A-Za-z]{3})[a-z]*\s+(\d{1,2}):(\d{2})\s+(\S+)\s+(\d+)d\s*$/.exec(raw)
  if (!m) return `"${raw}" is not "<weekday> <HH:MM> <time zone> <N>d" (e.g. "fri 12:00 America/New_York 7d")`
  const weekday = WEEKDAYS.indexOf(m[1]!.toLowerCase() as (typeof WEEKDAYS)[number])
  const hour = Number(m[2])
  const minute = Number(m[3])
  const days = Number(m[5])
  if (weekday < 0) return `"${m[1]}" is not a weekday (mon, tue, wed, thu, fri, sat, sun)`
  if (hour > 23 || minute > 59) return `"${m[2]}:${m[3]}" is not a time of day`
  // Counts are kept per UTC hour, so a window must start and end on one (as `forecast --window` must).
  if (minute !== 0) return `"${m[2]}:${m[3]}": a window starts on a whole hour (counts are kept per UTC hour)`
  if (days < 1 || days > 31) return `${days}d: a window is 1 to 31 days long`
  let fmt: Intl.DateTimeFormat
  try {
    fmt = formatterFor(m[4]!)
  } catch {
    return `"${m[4]}" is not an IANA time zone (e.g. America/New_York, UTC)`
  }
  const offsets = [Date.UTC(2025, 0, 1), Date.UTC(2025, 6, 1)].map((ms) => offsetAt(fmt, ms))
  if (offsets.some((o) => o % HOUR_MS !== 0))
    return `"${m[4]}" is not a whole number of hours from UTC: its local hours are not UTC hours, which counts are kept in`
  return { weekday, hour, minute, zone: m[4]!, days, label: `${WEEKDAYS[weekday]} ${pad(hour)}:${pad(minute)} ${m[4]} ${days}d` }
}

/** The window of the schedule in progress at `ms` (start <= ms < end), or the next one when none is. */
export const scheduledWindowAt = (s: WindowSchedule, ms: number): { readonly start: number; readonly end: number } => {
  const fmt = formatterFor(s.zone)
  const now = localFields(fmt, ms)
  const back = (now.weekday - s.weekday + 7) % 7
  // Calendar arithmetic on the local date (Date.UTC normalises day overflow), then back to an instant.
  const local = (daysFromToday: number) => {
    const d = new Date(Date.UTC(now.year, now.month - 1, now.day + daysFromToday))
    return instantOfLocal(fmt, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), s.hour, s.minute)
  }
  let offset = -back
  let start = local(offset)
  if (start > ms) {
    offset -= 7
    start = local(offset)
  }
  let end = local(offset + s.days)
  // A window shorter than a week may have ended before `ms`: the next one of the schedule then starts later.
  while (end <= ms) {
    offset += 7
    start = local(offset)
    end = local(offset + s.days)
  }
  return { start, end }
}
