/**
 * As-of inputs: the one definition of "what was knowable at a cutoff instant", used alike by training,
 * backtests, forecasts and the features command.
 *
 * At cutoff c (epoch ms) the knowable facts are:
 * - tweets created strictly before c;
 * - curated exogenous events as public at c: a curation, revision or retraction counts only when its
 *   `knownAt` < c (src/domain/exogenous/state.ts `stateAsOf` gives the exact rule);
 * - regime shifts detected (`knownAt`, else `at`) strictly before c.
 * Hourly counts at c cover only complete hours: the hour containing a mid-hour cutoff is left out.
 */
import type { ExogenousDomainEvent } from "../events/exogenous"
import { stateAsOf, type ExogenousEventFields } from "../exogenous/state"
import type { ModelInputs } from "../models/model"
import { HOUR_MS, bucketHourly, hourFloor } from "../time"
import { exogenousIntensity } from "./intensity"
import { buildFeatureMatrix, type FeatureMatrix, type RegimeStart } from "./matrix"
import { specLookbackHours, type FeatureSpec } from "./spec"

/** Everything recorded, of which the as-of view selects the part public at a cutoff. */
export interface Knowledge {
  /** `created_at` (epoch ms) of every tweet, ascending. */
  readonly tweetTimes: Float64Array
  /** First hour (epoch ms) the tweet record covers; earlier hours are unknown, not zero. Default: the first tweet's hour. */
  readonly observedFrom?: number
  /**
   * End (exclusive) of the period the tweet record is complete for, e.g. the ingestion watermark;
   * hours after it are unknown, not zero. Default: unbounded (complete up to any cutoff).
   */
  readonly observedUntil?: number
  /** Every exogenous event of the log, in log (global position) order. */
  readonly exogenous: ReadonlyArray<ExogenousDomainEvent>
  readonly regimes?: ReadonlyArray<RegimeStart>
}

export interface AsOfView {
  readonly cutoff: number
  /** Tweets created before the cutoff, ascending (a view of the knowledge's array, no copy). */
  readonly tweetTimes: Float64Array
  readonly observedFrom: number | undefined
  /** Hourly counts are known for the hours ending at or before this instant: hourFloor(min(cutoff, observedUntil)). */
  readonly countsUntil: number
  /** Curated events public at the cutoff, ordered by start then id. */
  readonly exogenous: ReadonlyArray<ExogenousEventFields>
  readonly regimes: ReadonlyArray<RegimeStart>
}

/** Index of the first element >= x in an ascending array. */
const lowerBound = (a: Float64Array, x: number): number => {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Knowledge from unsorted tweet instants (sorted here, once). */
export const makeKnowledge = (input: {
  readonly tweetTimes: ArrayLike<number>
  readonly exogenous?: ReadonlyArray<ExogenousDomainEvent>
  readonly regimes?: ReadonlyArray<RegimeStart>
  readonly observedFrom?: number
  readonly observedUntil?: number
}): Knowledge => ({
  tweetTimes: Float64Array.from(input.tweetTimes).sort(),
  exogenous: input.exogenous ?? [],
  regimes: input.regimes ?? [],
  ...(input.observedFrom !== undefined && { observedFrom: input.observedFrom }),
  ...(input.observedUntil !== undefined && { observedUntil: input.observedUntil })
})

/** Groups a log-ordered list of exogenous events by event id, keeping log order within each. */
const byEventId = (events: ReadonlyArray<ExogenousDomainEvent>): Map<string, ExogenousDomainEvent[]> => {
  const m = new Map<string, ExogenousDomainEvent[]>()
  for (const e of events) {
    const list = m.get(e.data.eventId)
    if (list) list.push(e)
    else m.set(e.data.eventId, [e])
  }
  return m
}

/** Curated events as public at `cutoff`, ordered by start then id. */
export const exogenousAsOf = (events: ReadonlyArray<ExogenousDomainEvent>, cutoff: number): ReadonlyArray<ExogenousEventFields> => {
  const out: ExogenousEventFields[] = []
  for (const history of byEventId(events).values()) {
    const v = stateAsOf(history, cutoff)
    if (v !== undefined) out.push(v)
  }
  return out.sort((a, b) => a.start - b.start || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0))
}

/** What was knowable at `cutoff`: THE as-of function. */
export const asOf = (knowledge: Knowledge, cutoff: number): AsOfView => {
  const t = knowledge.tweetTimes
  for (let i = 1; i < t.length; i++) if (t[i]! < t[i - 1]!) throw new RangeError("Knowledge.tweetTimes must be ascending (use makeKnowledge)")
  const observedFrom = knowledge.observedFrom ?? (t.length > 0 ? hourFloor(t[0]!) : undefined)
  return {
    cutoff,
    tweetTimes: t.subarray(0, lowerBound(t, cutoff)),
    observedFrom: observedFrom !== undefined && observedFrom < cutoff ? observedFrom : undefined,
    countsUntil: hourFloor(Math.min(cutoff, knowledge.observedUntil ?? cutoff)),
    exogenous: exogenousAsOf(knowledge.exogenous, cutoff),
    regimes: (knowledge.regimes ?? []).filter((r) => (r.knownAt ?? r.at) < cutoff)
  }
}

/**
 * The model's view at `origin` (on a UTC hour): `windowHours` of hourly counts ending at the origin,
 * the tweet instants inside that window, and the exogenous intensity as known at the origin over the
 * window plus `horizonHours` after it.
 */
export const modelInputsAsOf = (
  knowledge: Knowledge,
  origin: number,
  options: { readonly windowHours: number; readonly horizonHours?: number }
): ModelInputs => {
  if (origin % HOUR_MS !== 0) throw new RangeError("the origin must be on a UTC hour")
  const { windowHours } = options
  const horizonHours = options.horizonHours ?? 0
  if (!Number.isInteger(windowHours) || windowHours < 1) throw new RangeError("windowHours must be a positive integer")
  if (!Number.isInteger(horizonHours) || horizonHours < 0) throw new RangeError("horizonHours must be a non-negative integer")
  const view = asOf(knowledge, origin)
  const start = origin - windowHours * HOUR_MS
  // Hours before observation began are unknown; counting them as zeros would bias any fit.
  if (view.observedFrom === undefined || start < view.observedFrom)
    throw new RangeError(`the ${windowHours} h window before ${new Date(origin).toISOString()} starts before the tweet record does`)
  if (view.countsUntil < origin)
    throw new RangeError(`the tweet record is complete only until ${new Date(view.countsUntil).toISOString()}, before the origin ${new Date(origin).toISOString()}`)
  const times = view.tweetTimes
  const eventTimes = Float64Array.from(times.subarray(lowerBound(times, start)))
  return {
    origin,
    hourly: { start, counts: bucketHourly(eventTimes, start, windowHours) },
    eventTimes,
    exogenous: exogenousIntensity(view.exogenous, start, windowHours + horizonHours)
  }
}

/** Whole hours the tweet record covers before `origin` (0 when it starts at or after it). */
export const recordHoursBefore = (knowledge: Knowledge, origin: number): number => {
  const from = asOf(knowledge, origin).observedFrom
  return from === undefined ? 0 : Math.max(0, Math.floor((origin - from) / HOUR_MS))
}

/**
 * The hourly counts knowable at the view's cutoff, from `from` (on a UTC hour, clamped to the start
 * of observation) to the last complete hour before the cutoff (and before the end of observation).
 */
export const hourlyAsOf = (view: AsOfView, from: number): { readonly start: number; readonly counts: Float64Array } => {
  if (from % HOUR_MS !== 0) throw new RangeError("from must be on a UTC hour")
  if (view.observedFrom === undefined) return { start: from, counts: new Float64Array(0) }
  const end = view.countsUntil
  const start = Math.min(end, Math.max(from, view.observedFrom))
  const hours = (end - start) / HOUR_MS
  return { start, counts: bucketHourly(view.tweetTimes, start, hours) }
}

/**
 * Feature rows for the hours [from, to) as known at `cutoff`. Rows at or after the cutoff are allowed
 * (calendar and known scheduled events are defined there; history features become NaN once they would
 * need an hour not complete at the cutoff).
 */
export const featuresAsOf = (knowledge: Knowledge, cutoff: number, spec: FeatureSpec, from: number, to: number): FeatureMatrix => {
  if (from % HOUR_MS !== 0 || to % HOUR_MS !== 0 || to < from) throw new RangeError("from and to must be UTC hours with from <= to")
  const view = asOf(knowledge, cutoff)
  const hourly = hourlyAsOf(view, from - specLookbackHours(spec) * HOUR_MS)
  return buildFeatureMatrix(spec, {
    hourly,
    from,
    hours: (to - from) / HOUR_MS,
    exogenous: view.exogenous,
    regimes: view.regimes
  })
}
