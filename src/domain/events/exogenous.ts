/**
 * Exogenous (curated) events: things outside the tweet stream that may move posting volume, such as
 * earnings calls, launches or news. Stream `exogenous-<uuid>`; three event types, schema version 1.
 *
 * Every instant is a canonical UTC ISO string (`toIsoUtc`, e.g. 2025-01-15T00:00:00Z): the decider
 * normalises any input offset before an event is written, and the schema refuses anything else, so
 * the log holds exactly one spelling of each instant. `knownAt` is when the information became
 * public; the as-of view (src/domain/features/asof.ts) uses it to keep the future out of backtests.
 */
import { Schema } from "effect"
import { parseInstant } from "../time"
import { defineEvent } from "./codec"
import { UtcInstant } from "./instant"

export { UtcInstant }

export const EXOGENOUS_CATEGORY = "exogenous"
export const exogenousStream = (eventId: string): string => `${EXOGENOUS_CATEGORY}-${eventId}`

/** True when `s` holds no control character (tabs, newlines...): names print on one line. */
export const isOneLine = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 32 || s.charCodeAt(i) === 127) return false
  return true
}

export const ExogenousName = Schema.String.pipe(
  Schema.filter(
    (s) => (s.trim() === s && s.length > 0 && s.length <= 200 && isOneLine(s)) || "a name is one line of 1..200 characters without surrounding blanks"
  )
)
export const ExogenousTag = Schema.String.pipe(
  Schema.filter((s) => /^[^\s,]{1,64}$/.test(s) || "a tag is 1..64 characters without blanks or commas")
)
export const Intensity = Schema.Number.pipe(Schema.between(0, 1, { message: () => "intensity must be a number in [0, 1]" }))
export const ExogenousKind = Schema.Literal("scheduled", "unscheduled")
export type ExogenousKind = typeof ExogenousKind.Type

const ms = (s: string): number => parseInstant(s)!

export const ExogenousEventCuratedData = Schema.Struct({
  eventId: Schema.UUID,
  name: ExogenousName,
  start: UtcInstant,
  /** Inclusive end instant; end >= start. */
  end: UtcInstant,
  intensity: Intensity,
  knownAt: UtcInstant,
  kind: ExogenousKind,
  tags: Schema.Array(ExogenousTag),
  /** The one account it bears on (normalised handle); absent: every account (a global event). */
  account: Schema.optional(Schema.NonEmptyTrimmedString)
}).pipe(Schema.filter((e) => ms(e.end) >= ms(e.start) || "end must not precede start"))
export type ExogenousEventCuratedData = typeof ExogenousEventCuratedData.Type

/** Fields a revision may change (at least one). */
export const ExogenousChanges = Schema.Struct({
  name: Schema.optional(ExogenousName),
  start: Schema.optional(UtcInstant),
  end: Schema.optional(UtcInstant),
  intensity: Schema.optional(Intensity),
  /** A corrected `knownAt` of the event itself. */
  knownAt: Schema.optional(UtcInstant)
}).pipe(Schema.filter((c) => Object.values(c).some((v) => v !== undefined) || "a revision changes at least one field"))
export type ExogenousChanges = typeof ExogenousChanges.Type

export const ExogenousEventRevisedData = Schema.Struct({
  eventId: Schema.UUID,
  changes: ExogenousChanges,
  /** When the revised information became public: the revision applies to cutoffs after this instant. */
  knownAt: UtcInstant
})
export type ExogenousEventRevisedData = typeof ExogenousEventRevisedData.Type

export const ExogenousEventRetractedData = Schema.Struct({
  eventId: Schema.UUID,
  reason: Schema.String.pipe(Schema.filter((s) => (s.trim() === s && s.length > 0 && s.length <= 1000) || "a reason is 1..1000 characters")),
  /** When the retraction became public: the event disappears for cutoffs after this instant. */
  knownAt: UtcInstant
})
export type ExogenousEventRetractedData = typeof ExogenousEventRetractedData.Type

/** Event type names as written to the log (one place). */
export const ExogenousEventTypes = {
  curated: "ExogenousEventCurated",
  revised: "ExogenousEventRevised",
  retracted: "ExogenousEventRetracted"
} as const

export const EXOGENOUS_SCHEMA_VERSION = 1

/** A decoded exogenous event as the domain sees it: type name plus payload. */
export type ExogenousDomainEvent =
  | { readonly type: "ExogenousEventCurated"; readonly data: ExogenousEventCuratedData }
  | { readonly type: "ExogenousEventRevised"; readonly data: ExogenousEventRevisedData }
  | { readonly type: "ExogenousEventRetracted"; readonly data: ExogenousEventRetractedData }

/** Payload schema of each exogenous event type. */
export const exogenousSchemas = {
  ExogenousEventCurated: ExogenousEventCuratedData,
  ExogenousEventRevised: ExogenousEventRevisedData,
  ExogenousEventRetracted: ExogenousEventRetractedData
} as const

/*
 * Event definitions for the catalog. Ids: a curation and a retraction happen once per stream, so their
 * natural keys are the event id; a revision's natural key adds the stream revision it is appended at
 * (the program passes `naturalKey: revisionNaturalKey(eventId, revision)`), so a retried append of
 * the same decision is idempotent.
 */
export const ExogenousEventCurated = defineEvent(ExogenousEventTypes.curated, EXOGENOUS_SCHEMA_VERSION, ExogenousEventCuratedData, {
  stream: (d) => exogenousStream(d.eventId),
  naturalKey: (d) => `exogenous-curated:${d.eventId}`
})
export const ExogenousEventRevised = defineEvent(ExogenousEventTypes.revised, EXOGENOUS_SCHEMA_VERSION, ExogenousEventRevisedData, {
  stream: (d) => exogenousStream(d.eventId)
})
export const ExogenousEventRetracted = defineEvent(ExogenousEventTypes.retracted, EXOGENOUS_SCHEMA_VERSION, ExogenousEventRetractedData, {
  stream: (d) => exogenousStream(d.eventId),
  naturalKey: (d) => `exogenous-retracted:${d.eventId}`
})
export const revisionNaturalKey = (eventId: string, streamRevision: number): string => `exogenous-revised:${eventId}@${streamRevision}`

export const exogenousDefinitions = [ExogenousEventCurated, ExogenousEventRevised, ExogenousEventRetracted] as const
