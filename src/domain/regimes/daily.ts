/** Daily UTC counts, the series both regime detectors read. */
import { DAY_MS } from "../time"

export interface DailySeries {
  /** Epoch ms of the first day's 00:00 UTC. */
  readonly start: number
  /** Posts per UTC day, one value per day. */
  readonly counts: Float64Array
}

/** Counts per UTC day for [startDay, startDay + days·24h) from instants (outside ones are ignored). */
export const dailyCountsFromInstants = (instants: ArrayLike<number>, startDay: number, days: number): DailySeries => {
  if (startDay % DAY_MS !== 0) throw new RangeError("startDay must be 00:00 UTC")
  const counts = new Float64Array(days)
  for (let i = 0; i < instants.length; i++) {
    const d = Math.floor((instants[i]! - startDay) / DAY_MS)
    if (d >= 0 && d < days) counts[d]! += 1
  }
  return { start: startDay, counts }
}

/** Sums hourly counts into UTC days; the hourly series must start at 00:00 UTC, a trailing partial day is dropped. */
export const dailyFromHourly = (hourlyStart: number, hourly: ArrayLike<number>): DailySeries => {
  if (hourlyStart % DAY_MS !== 0) throw new RangeError("hourly series must start at 00:00 UTC")
  const days = Math.floor(hourly.length / 24)
  const counts = new Float64Array(days)
  for (let d = 0; d < days; d++) {
    let s = 0
    for (let h = 0; h < 24; h++) s += hourly[d * 24 + h]!
    counts[d] = s
  }
  return { start: hourlyStart, counts }
}

export const dayStartOf = (series: DailySeries, index: number): number => series.start + index * DAY_MS

/** Mean of counts[from, to) (from clamped at 0); NaN when empty. */
export const meanOfDays = (counts: ArrayLike<number>, from: number, to: number): number => {
  const a = Math.max(0, from)
  if (to <= a) return Number.NaN
  let s = 0
  for (let i = a; i < to; i++) s += counts[i]!
  return s / (to - a)
}

