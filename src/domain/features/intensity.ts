/**
 * Exogenous intensity per UTC hour from curated events (as known at some cutoff: see asof.ts).
 *
 * Coverage: an event covers hour [h, h+1h) when its interval [start, end] overlaps it with positive
 * length, i.e. start < h + 1h and end > h; a zero-length event (start = end) covers the hour containing
 * it. So an end of 23:59:59 or of the next midnight both stop at hour 23. A covered hour gets the
 * event's full intensity (no pro-rating by the minutes covered).
 *
 * Overlap rule: events covering the same hour combine as 1 − Π(1 − xᵢ) (a "noisy OR"): it stays in
 * [0, 1], equals xᵢ for a single event, never decreases when an event is added, and reaches 1 only when
 * some event has intensity 1. A plain max would ignore a second, independent event.
 */
import { HOUR_MS, hourFloor } from "../time"

export interface IntensityEvent {
  readonly start: number
  readonly end: number
  readonly intensity: number
}

/** First and last hour starts (epoch ms) an event covers. */
export const coveredHours = (e: IntensityEvent): { readonly first: number; readonly last: number } => ({
  first: hourFloor(e.start),
  last: e.end > e.start ? hourFloor(e.end - 1) : hourFloor(e.start)
})

/** Walks the hours of [startMs, startMs + hours·1h) each event covers, calling `visit(index, event)`. */
const forEachCovered = (
  events: ReadonlyArray<IntensityEvent>,
  startMs: number,
  hours: number,
  visit: (index: number, e: IntensityEvent) => void
): void => {
  if (startMs % HOUR_MS !== 0) throw new RangeError("intensity range must start on a UTC hour")
  for (const e of events) {
    const { first, last } = coveredHours(e)
    const i0 = Math.max(0, (first - startMs) / HOUR_MS)
    const i1 = Math.min(hours - 1, (last - startMs) / HOUR_MS)
    for (let i = i0; i <= i1; i++) visit(i, e)
  }
}

/** Combined intensity 1 − Π(1 − xᵢ) per hour; 0 where no event covers the hour. */
export const exogenousIntensity = (events: ReadonlyArray<IntensityEvent>, startMs: number, hours: number): Float64Array => {
  const out = new Float64Array(hours)
  // v ← v + x(1 − v) is 1 − (1 − v)(1 − x), written so one event gives exactly x and 1 stays 1.
  forEachCovered(events, startMs, hours, (i, e) => {
    const v = out[i]!
    out[i] = Math.min(1, v + e.intensity * (1 - v))
  })
  return out
}

/** Number of events covering each hour. */
export const exogenousCount = (events: ReadonlyArray<IntensityEvent>, startMs: number, hours: number): Float64Array => {
  const out = new Float64Array(hours)
  forEachCovered(events, startMs, hours, (i) => (out[i]! += 1))
  return out
}
