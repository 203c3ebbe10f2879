/**
 * State of one curated exogenous event, folded from its stream, in two views:
 * - `currentState`: everything recorded (the latest knowledge), as the decider and the read model see it;
 * - `stateAsOf`: what was public at a cutoff instant, for training, backtests and forecasts.
 *
 * As-of rule (the no-look-ahead rule for curated events): at cutoff c, a revision or retraction counts
 * only when its `knownAt` < c, applied in log order (the later record wins); the event is visible when
 * its resulting `knownAt` < c and no counted retraction exists. The curated payload is the base the
 * counted revisions apply to, so a revision that corrects `knownAt` itself moves the event's visibility.
 */
import {
  ExogenousEventTypes,
  type ExogenousDomainEvent,
  type ExogenousEventCuratedData,
  type ExogenousKind
} from "../events/exogenous"
import { parseInstant } from "../time"

/** A curated event's fields with instants as epoch ms. */
export interface ExogenousEventFields {
  readonly eventId: string
  readonly name: string
  readonly start: number
  /** Inclusive end instant (>= start). */
  readonly end: number
  readonly intensity: number
  readonly knownAt: number
  readonly kind: ExogenousKind
  readonly tags: ReadonlyArray<string>
  /** The one account it bears on; absent: every account. */
  readonly account?: string
}

export interface ExogenousEventState extends ExogenousEventFields {
  readonly revisions: number
  readonly retracted: boolean
  readonly retraction?: { readonly reason: string; readonly knownAt: number }
}

const ms = (iso: string): number => {
  const v = parseInstant(iso)
  if (v === undefined) throw new RangeError(`not an instant: ${iso}`)
  return v
}

const fromCurated = (d: ExogenousEventCuratedData): ExogenousEventState => ({
  eventId: d.eventId,
  name: d.name,
  start: ms(d.start),
  end: ms(d.end),
  intensity: d.intensity,
  knownAt: ms(d.knownAt),
  kind: d.kind,
  tags: d.tags,
  ...(d.account !== undefined && { account: d.account }),
  revisions: 0,
  retracted: false
})

/** One step of the log-order fold. Events of another stream, or before the curation, are a bug. */
export const evolve = (state: ExogenousEventState | undefined, event: ExogenousDomainEvent): ExogenousEventState => {
  if (event.type === ExogenousEventTypes.curated) {
    if (state !== undefined) throw new Error(`exogenous event ${event.data.eventId} curated twice`)
    return fromCurated(event.data)
  }
  if (state === undefined) throw new Error(`exogenous event ${event.data.eventId}: ${event.type} before ExogenousEventCurated`)
  if (event.type === ExogenousEventTypes.revised) {
    const c = event.data.changes
    return {
      ...state,
      ...(c.name !== undefined && { name: c.name }),
      ...(c.start !== undefined && { start: ms(c.start) }),
      ...(c.end !== undefined && { end: ms(c.end) }),
      ...(c.intensity !== undefined && { intensity: c.intensity }),
      ...(c.knownAt !== undefined && { knownAt: ms(c.knownAt) }),
      revisions: state.revisions + 1
    }
  }
  return { ...state, retracted: true, retraction: { reason: event.data.reason, knownAt: ms(event.data.knownAt) } }
}

/** The latest knowledge: every event of the stream, in log order. Undefined for an empty stream. */
export const currentState = (history: ReadonlyArray<ExogenousDomainEvent>): ExogenousEventState | undefined =>
  history.reduce<ExogenousEventState | undefined>(evolve, undefined)

/** `knownAt` (epoch ms) of a revision or retraction: when its information became public. */
export const eventKnownAt = (event: ExogenousDomainEvent): number => ms(event.data.knownAt)

/**
 * The event as public at `cutoff` (epoch ms), or undefined when it was not yet public or already
 * retracted then. `history` is the stream in log order.
 */
export const stateAsOf = (history: ReadonlyArray<ExogenousDomainEvent>, cutoff: number): ExogenousEventFields | undefined => {
  let state: ExogenousEventState | undefined
  for (const e of history) {
    if (e.type === ExogenousEventTypes.curated || eventKnownAt(e) < cutoff) state = evolve(state, e)
  }
  if (state === undefined || state.retracted || !(state.knownAt < cutoff)) return undefined
  return {
    eventId: state.eventId,
    name: state.name,
    start: state.start,
    end: state.end,
    intensity: state.intensity,
    knownAt: state.knownAt,
    kind: state.kind,
    tags: state.tags,
    ...(state.account !== undefined && { account: state.account })
  }
}

/**
 * Every distinct as-of view the stream can produce: the views just after each `knownAt` it mentions,
 * and the final one. The decider checks invariants on each so no cutoff ever sees an invalid event.
 */
export const distinctViews = (
  history: ReadonlyArray<ExogenousDomainEvent>
): ReadonlyArray<{ readonly cutoff: number; readonly view: ExogenousEventFields }> => {
  const cutoffs = new Set<number>([Number.POSITIVE_INFINITY])
  for (const e of history) {
    cutoffs.add(eventKnownAt(e) + 1)
    if (e.type === ExogenousEventTypes.revised && e.data.changes.knownAt !== undefined) cutoffs.add(ms(e.data.changes.knownAt) + 1)
  }
  const out: Array<{ cutoff: number; view: ExogenousEventFields }> = []
  for (const cutoff of [...cutoffs].sort((a, b) => a - b)) {
    const view = stateAsOf(history, cutoff)
    if (view !== undefined) out.push({ cutoff, view })
  }
  return out
}
