/**
 * The one time-bucketing module. All instants are UTC epoch milliseconds; buckets are UTC hours.
 * Nothing here looks at the local time zone.
 */
export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
export const WEEK_MS = 7 * DAY_MS

/** Start (epoch ms) of the UTC hour containing `ms`. */
export const hourFloor = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS
/** Start (epoch ms) of the UTC day containing `ms`. */
export const dayFloor = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS

/** Hour of day 0..23 (UTC). */
export const hourOfDay = (ms: number): number => new Date(ms).getUTCHours()
/** Day of week with Monday = 0 .. Sunday = 6 (UTC), the convention of the reference vectors. */
export const dayOfWeek = (ms: number): number => (new Date(ms).getUTCDay() + 6) % 7
/** Hour of week 0..167, Monday 00:00 UTC = 0. */
export const hourOfWeek = (ms: number): number => dayOfWeek(ms) * 24 + hourOfDay(ms)

/** Start of the week (Monday 00:00 UTC) containing `ms`. */
export const weekFloor = (ms: number): number => dayFloor(ms) - dayOfWeek(ms) * DAY_MS

/** Every Monday 00:00 UTC in [from, to] (inclusive), as epoch ms. */
export const mondaysBetween = (fromMs: number, toMs: number): number[] => {
  const out: number[] = []
  let t = weekFloor(fromMs)
  if (t < fromMs) t += WEEK_MS
  for (; t <= toMs; t += WEEK_MS) out.push(t)
  return out
}

/** ISO 8601 in UTC with a `Z`, second precision when whole (e.g. 2025-07-07T00:00:00Z). */
export const toIsoUtc = (ms: number): string => {
  const s = new Date(ms).toISOString()
  return s.endsWith(".000Z") ? s.slice(0, -5) + "Z" : s
}

/** Shape of toIsoUtc's output for years 0000-9999 (whole seconds, or milliseconds). */
const CANONICAL_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/

/** Days in `month` (1-12) of a proleptic Gregorian `year` (Date.UTC would read years 0-99 as 1900-1999). */
const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
    : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

/** The number written by the digits of `s` in [from, to). */
const digits = (s: string, from: number, to: number): number => {
  let n = 0
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48)
  return n
}

/**
 * Whether `s` is the canonical spelling of an instant: `toIsoUtc(parseInstant(s)) === s` (a property
 * test holds it to that). Every event's instants are checked when decoded, so this builds no Date:
 * toIsoUtc writes years 0000-9999 exactly in CANONICAL_SHAPE, with every field in range and no ".000";
 * other years it writes with six digits and a sign, which parseInstant does not read.
 */
export const isCanonicalInstant = (s: string): boolean => {
  if (!CANONICAL_SHAPE.test(s)) return false
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 7)
  const day = digits(s, 8, 10)
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    digits(s, 11, 13) <= 23 && digits(s, 14, 16) <= 59 && digits(s, 17, 19) <= 59 &&
    (s.length === 20 || s.slice(19, 23) !== ".000")
  )
}

/**
 * Parse an ISO 8601 instant. An explicit offset or `Z` is required (a bare local time would depend on
 * the machine's zone); a bare date `YYYY-MM-DD` means midnight UTC. Returns undefined when invalid.
 */
export const parseInstant = (text: string): number | undefined => {
  const t = text.trim()
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i.exec(t)
  if (!m) return undefined
  // Date.parse rolls 2025-02-30 over to March 2: check every field is in range first.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (m[4] === undefined) return Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) // Date.UTC would read years 0-99 as 19xx
  if (m[7] === undefined) return undefined
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59)) return undefined
  const offset = /^[+-](\d{2}):?(\d{2})$/.exec(m[7])
  if (offset && (Number(offset[1]) > 23 || Number(offset[2]) > 59)) return undefined
  const ms = Date.parse(t)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * Hourly counts for [startMs, startMs + hours*HOUR_MS) from sorted or unsorted instants;
 * instants outside the range are ignored.
 */
export const bucketHourly = (instants: ArrayLike<number>, startMs: number, hours: number): Float64Array => {
  const out = new Float64Array(hours)
  for (let i = 0; i < instants.length; i++) {
    const h = Math.floor((instants[i]! - startMs) / HOUR_MS)
    if (h >= 0 && h < hours) out[h]! += 1
  }
  return out
}
