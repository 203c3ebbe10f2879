/**
 * The fit window turned into what the likelihood loop reads: event times in hours since the window
 * start, each event's baseline bin, the exposure (hours) of every bin, and the exogenous covariate.
 * Built once per fit, so the hot loop does no date arithmetic and no allocation.
 */
import { HOUR_MS, hourOfDay, hourOfWeek } from "../../time"
import type { HawkesBaseline } from "./types"

export interface HawkesExogenousData {
  /** x for every hour of the window (hours past the given series are 0). */
  readonly hourly: Float64Array
  /** x at each event's hour. */
  readonly eventX: Float64Array
  /** Hours of the window with x ≠ 0: their bin, x and length in hours (the last hour may be partial). */
  readonly hourBin: Int32Array
  readonly hourX: Float64Array
  readonly hourLength: Float64Array
}

export interface HawkesData {
  readonly baseline: HawkesBaseline
  /** Number of baseline bins: 1 (constant), 24 (hour of day) or 168 (hour of week, Monday 00:00 = 0). */
  readonly nBins: number
  /** Bin of the window's first hour; hour k of the window is in bin (startBin + k) mod nBins. */
  readonly startBin: number
  readonly windowStart: number
  /** Window length T in hours; the likelihood is over [0, T]. */
  readonly T: number
  /** Event times in hours since windowStart, ascending (ties allowed), all in [0, T). */
  readonly times: Float64Array
  readonly bins: Uint8Array
  /** Hours of [0, T] falling into each bin. */
  readonly exposure: Float64Array
  /** Events per bin. */
  readonly binCounts: Float64Array
  readonly exogenous: HawkesExogenousData | undefined
  /** Pairs of consecutive events with identical times. */
  readonly tiedPairs: number
}

export const binsOf = (baseline: HawkesBaseline): number =>
  baseline === "constant" ? 1 : baseline === "hour_of_day" ? 24 : 168

/** Bin of the UTC hour starting at `hourStartMs` (via the project's one time module). */
export const binOfHour = (baseline: HawkesBaseline, hourStartMs: number): number =>
  baseline === "constant" ? 0 : baseline === "hour_of_day" ? hourOfDay(hourStartMs) : hourOfWeek(hourStartMs)

/**
 * Build the data from event times already in hours since `windowStartMs` (which must be a UTC hour).
 * `exogenousHourly[k]` is x for hour k of the window (missing hours count as 0); pass it only when the
 * exogenous term is on.
 */
export const hawkesDataFromHours = (
  baseline: HawkesBaseline,
  windowStartMs: number,
  T: number,
  times: Float64Array,
  exogenousHourly?: ArrayLike<number>
): HawkesData => {
  if (windowStartMs % HOUR_MS !== 0) throw new RangeError("the Hawkes window must start on a UTC hour")
  if (!(T > 0) || !Number.isFinite(T)) throw new RangeError(`window length must be > 0 hours, got ${T}`)
  const nBins = binsOf(baseline)
  const startBin = binOfHour(baseline, windowStartMs)
  const n = times.length
  const bins = new Uint8Array(n)
  const binCounts = new Float64Array(nBins)
  let tiedPairs = 0
  for (let i = 0; i < n; i++) {
    const t = times[i]!
    if (!(t >= 0 && t < T)) throw new RangeError(`event time ${t} h outside the window [0, ${T})`)
    if (i > 0) {
      if (t < times[i - 1]!) throw new RangeError("event times must be ascending")
      if (t === times[i - 1]!) tiedPairs++
    }
    const b = (startBin + Math.floor(t)) % nBins
    bins[i] = b
    binCounts[b]! += 1
  }
  const exposure = new Float64Array(nBins)
  const fullHours = Math.floor(T)
  const hourLength = (k: number): number => (k < fullHours ? 1 : T - fullHours)
  const nHours = Math.ceil(T)
  // Whole cycles then the remainder: exact, and O(nBins) rather than O(T).
  const cycles = Math.floor(fullHours / nBins)
  for (let b = 0; b < nBins; b++) exposure[b] = cycles
  for (let k = cycles * nBins; k < nHours; k++) exposure[(startBin + k) % nBins]! += hourLength(k)

  let exogenous: HawkesExogenousData | undefined
  if (exogenousHourly !== undefined) {
    const eventX = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const k = Math.floor(times[i]!)
      eventX[i] = k < exogenousHourly.length ? exogenousHourly[k]! : 0
    }
    const hourly = new Float64Array(nHours)
    for (let k = 0; k < Math.min(nHours, exogenousHourly.length); k++) hourly[k] = exogenousHourly[k]!
    const hb: number[] = []
    const hx: number[] = []
    const hl: number[] = []
    for (let k = 0; k < Math.min(nHours, exogenousHourly.length); k++) {
      const x = exogenousHourly[k]!
      if (!Number.isFinite(x)) throw new RangeError(`exogenous intensity at hour ${k} is not finite`)
      if (x !== 0) {
        hb.push((startBin + k) % nBins)
        hx.push(x)
        hl.push(hourLength(k))
      }
    }
    exogenous = { hourly, eventX, hourBin: Int32Array.from(hb), hourX: Float64Array.from(hx), hourLength: Float64Array.from(hl) }
  }
  return { baseline, nBins, startBin, windowStart: windowStartMs, T, times, bins, exposure, binCounts, exogenous, tiedPairs }
}

/**
 * Build the data from epoch-ms event times over [windowStartMs, windowEndMs). Events before the window
 * are dropped (they do not excite events inside it: no burn-in, as in the reference); an event at or
 * after the end is a look-ahead and an error. Hours are computed from the integer ms offset, so
 * floor(t) is the exact UTC hour.
 */
export const hawkesDataFromEpochMs = (
  baseline: HawkesBaseline,
  windowStartMs: number,
  windowEndMs: number,
  eventTimesMs: ArrayLike<number>,
  exogenousHourly?: ArrayLike<number>
): HawkesData => {
  let first = 0
  while (first < eventTimesMs.length && eventTimesMs[first]! < windowStartMs) first++
  const times = new Float64Array(eventTimesMs.length - first)
  for (let i = first; i < eventTimesMs.length; i++) {
    const ms = eventTimesMs[i]!
    if (ms >= windowEndMs) throw new RangeError(`event at ${new Date(ms).toISOString()} is not before the window end`)
    times[i - first] = (ms - windowStartMs) / HOUR_MS
  }
  return hawkesDataFromHours(baseline, windowStartMs, (windowEndMs - windowStartMs) / HOUR_MS, times, exogenousHourly)
}
