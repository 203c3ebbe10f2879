/**
 * The exogenous-event decider: a pure function from a command, the stream's history and the current
 * instant to the events to append, or a typed rejection. It never reads a clock; `now` is an argument.
 *
 * Rules: intensity in [0,1]; end >= start (in every as-of view, not just the latest); instants with any
 * offset are stored as canonical UTC; `knownAt` defaults to now and is never in the future; an
 * unscheduled event cannot be public before it starts (only a scheduled one may be announced ahead);
 * a retracted event cannot be revised or retracted again; a revision must change something.
 */
import { parseAccount } from "../accounts/account"
import { UUID_PATTERN } from "../uuid"
import { Either } from "effect"
import { v5 as uuidv5 } from "uuid"
import {
  ExogenousEventTypes,
  isOneLine,
  type ExogenousChanges,
  type ExogenousDomainEvent,
  type ExogenousEventCuratedData,
  type ExogenousKind
} from "../events/exogenous"
import { parseInstant, toIsoUtc } from "../time"
import {
  ExogenousEventExists,
  ExogenousEventIsRetracted,
  ExogenousEventNotFound,
  InvalidExogenousInput,
  type ExogenousRejection
} from "./errors"
import { currentState, distinctViews } from "./state"

/** Namespace of the deterministic (UUID v5) ids of curated events; never change it. */
export const EXOGENOUS_ID_NAMESPACE = "434ac08d-a90f-4a07-b272-e2c18df08fa6"

export interface AddEventInput {
  /** Defaults to a UUID v5 of the natural key (name, start, end), so the same event cannot be added twice. */
  readonly eventId?: string
  readonly name: string
  readonly start: string
  readonly end: string
  readonly intensity: number | string
  /** Defaults to `now`. */
  readonly knownAt?: string
  /** "scheduled" | "unscheduled"; defaults to "unscheduled". */
  readonly kind?: string
  readonly tags?: ReadonlyArray<string>
  /** The one account it bears on (a handle); absent: every account. */
  readonly account?: string
}

export interface ReviseInput {
  readonly eventId: string
  readonly changes: {
    readonly name?: string
    readonly start?: string
    readonly end?: string
    readonly intensity?: number | string
    /** A corrected `knownAt` of the event itself. */
    readonly knownAt?: string
  }
  /**
   * When the revised information became public. Defaults to `now`; for a revision that corrects
   * `knownAt`, to the earlier of the old and new `knownAt` (a correction of the record, valid from then).
   */
  readonly revisionKnownAt?: string
}

export interface RetractInput {
  readonly eventId: string
  readonly reason: string
  /** When the retraction became public; defaults to `now`. */
  readonly knownAt?: string
}

export type ExogenousCommand =
  | ({ readonly _tag: "AddEvent" } & AddEventInput)
  | ({ readonly _tag: "Revise" } & ReviseInput)
  | ({ readonly _tag: "Retract" } & RetractInput)

type Result<A> = Either.Either<A, ExogenousRejection>

const invalid = (field: string, reason: string) => Either.left(new InvalidExogenousInput({ field, reason }))

const UUID_RE = UUID_PATTERN

const parseId = (text: string): Result<string> =>
  UUID_RE.test(text.trim()) ? Either.right(text.trim().toLowerCase()) : invalid("id", `"${text}" is not a UUID`)

const parseTime = (field: string, text: string): Result<number> => {
  const v = parseInstant(text)
  return v === undefined
    ? invalid(field, `"${text}" is not an ISO 8601 instant with an offset (e.g. 2025-01-15T00:00:00Z)`)
    : Either.right(v)
}

const notFuture = (field: string, at: number, now: number): Result<number> =>
  at > now ? invalid(field, `${toIsoUtc(at)} is in the future (now is ${toIsoUtc(now)}); record what is public already`) : Either.right(at)

const parseName = (text: string): Result<string> => {
  const t = text.trim()
  if (!isOneLine(t)) return invalid("name", "must be one line (no control characters)")
  return t.length === 0 || t.length > 200 ? invalid("name", "must be 1..200 characters") : Either.right(t)
}

const parseIntensity = (value: number | string): Result<number> => {
  const v = typeof value === "number" ? value : /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : Number.NaN
  return Number.isFinite(v) && v >= 0 && v <= 1 ? Either.right(v) : invalid("intensity", `${JSON.stringify(value)} is not a number in [0, 1]`)
}

const parseKind = (kind: string | undefined): Result<ExogenousKind> => {
  const k = (kind ?? "unscheduled").trim()
  return k === "scheduled" || k === "unscheduled" ? Either.right(k) : invalid("kind", `"${kind}" is neither scheduled nor unscheduled`)
}

const parseTags = (tags: ReadonlyArray<string> | undefined): Result<ReadonlyArray<string>> => {
  const out: string[] = []
  for (const raw of tags ?? []) {
    const t = raw.trim()
    if (!/^[^\s,]{1,64}$/.test(t)) return invalid("tag", `"${raw}" must be 1..64 characters without blanks or commas`)
    if (!out.includes(t)) out.push(t)
  }
  return Either.right(out)
}

const startBeforeEnd = (start: number, end: number): Result<void> =>
  end < start ? invalid("end", `${toIsoUtc(end)} precedes start ${toIsoUtc(start)}`) : Either.right(undefined)

const publicNotBeforeStart = (kind: ExogenousKind, knownAt: number, start: number): Result<void> =>
  kind === "unscheduled" && knownAt < start
    ? invalid(
        "known-at",
        `${toIsoUtc(knownAt)} precedes start ${toIsoUtc(start)}: an unscheduled event cannot be public before it starts (a scheduled one can)`
      )
    : Either.right(undefined)

/**
 * The deterministic id of a curated event from its natural key (normalised name and UTC instants, and
 * the account of an event scoped to one; a global event's key is as it always was).
 */
export const naturalEventId = (name: string, start: number, end: number, account?: string): string =>
  uuidv5(`${name}|${toIsoUtc(start)}|${toIsoUtc(end)}${account === undefined ? "" : `|@${account}`}`, EXOGENOUS_ID_NAMESPACE)

const parseAccountInput = (raw: string | undefined): Result<string | undefined> => {
  if (raw === undefined) return Either.right(undefined)
  const r = parseAccount(raw)
  return "account" in r ? Either.right(r.account) : invalid("account", r.problem)
}

/** Validates and normalises an AddEvent input into the payload of `ExogenousEventCurated`. */
export const curatedFromInput = (input: AddEventInput, now: number): Result<ExogenousEventCuratedData> =>
  Either.gen(function* () {
    const name = yield* parseName(input.name)
    const start = yield* parseTime("start", input.start)
    const end = yield* parseTime("end", input.end)
    yield* startBeforeEnd(start, end)
    const intensity = yield* parseIntensity(input.intensity)
    const kind = yield* parseKind(input.kind)
    const knownAt = yield* input.knownAt === undefined ? Either.right(now) : parseTime("known-at", input.knownAt)
    yield* notFuture("known-at", knownAt, now)
    yield* publicNotBeforeStart(kind, knownAt, start)
    const tags = yield* parseTags(input.tags)
    const account = yield* parseAccountInput(input.account)
    const eventId = input.eventId === undefined ? naturalEventId(name, start, end, account) : yield* parseId(input.eventId)
    return { eventId, name, start: toIsoUtc(start), end: toIsoUtc(end), intensity, knownAt: toIsoUtc(knownAt), kind, tags, ...(account !== undefined && { account }) }
  })

/** The id (hence the stream) a command addresses, or why the command is malformed. */
export const commandEventId = (command: ExogenousCommand, now: number): Result<string> =>
  command._tag === "AddEvent" ? Either.map(curatedFromInput(command, now), (c) => c.eventId) : parseId(command.eventId)

const decideAdd = (input: AddEventInput, history: ReadonlyArray<ExogenousDomainEvent>, now: number): Result<ReadonlyArray<ExogenousDomainEvent>> =>
  Either.gen(function* () {
    const data = yield* curatedFromInput(input, now)
    const existing = currentState(history)
    if (existing !== undefined) return yield* Either.left(new ExogenousEventExists({ eventId: existing.eventId, name: existing.name }))
    return [{ type: ExogenousEventTypes.curated, data }]
  })

const decideRevise = (input: ReviseInput, history: ReadonlyArray<ExogenousDomainEvent>, now: number): Result<ReadonlyArray<ExogenousDomainEvent>> =>
  Either.gen(function* () {
    const eventId = yield* parseId(input.eventId)
    const state = currentState(history)
    if (state === undefined) return yield* Either.left(new ExogenousEventNotFound({ eventId }))
    if (state.retracted) return yield* Either.left(new ExogenousEventIsRetracted({ eventId }))
    const c = input.changes
    // Only fields that differ from the latest knowledge are recorded.
    const changes: { -readonly [K in keyof ExogenousChanges]: ExogenousChanges[K] } = {}
    if (c.name !== undefined) {
      const name = yield* parseName(c.name)
      if (name !== state.name) changes.name = name
    }
    if (c.start !== undefined) {
      const start = yield* parseTime("start", c.start)
      if (start !== state.start) changes.start = toIsoUtc(start)
    }
    if (c.end !== undefined) {
      const end = yield* parseTime("end", c.end)
      if (end !== state.end) changes.end = toIsoUtc(end)
    }
    if (c.intensity !== undefined) {
      const intensity = yield* parseIntensity(c.intensity)
      if (intensity !== state.intensity) changes.intensity = intensity
    }
    let newKnownAt: number | undefined
    if (c.knownAt !== undefined) {
      const k = yield* parseTime("known-at", c.knownAt)
      yield* notFuture("known-at", k, now)
      if (k !== state.knownAt) {
        newKnownAt = k
        changes.knownAt = toIsoUtc(k)
      }
    }
    if (Object.keys(changes).length === 0) return yield* invalid("revision", `changes nothing on exogenous event ${eventId}`)
    const revisionKnownAt =
      input.revisionKnownAt !== undefined
        ? yield* parseTime("revision known-at", input.revisionKnownAt)
        : newKnownAt !== undefined
          ? Math.min(state.knownAt, newKnownAt)
          : now
    yield* notFuture("revision known-at", revisionKnownAt, now)
    const event: ExogenousDomainEvent = {
      type: ExogenousEventTypes.revised,
      data: { eventId, changes, knownAt: toIsoUtc(revisionKnownAt) }
    }
    const candidate = [...history, event]
    const after = currentState(candidate)!
    yield* startBeforeEnd(after.start, after.end)
    yield* publicNotBeforeStart(after.kind, after.knownAt, after.start)
    // A partial set of revisions (those public at some earlier cutoff) must also be a valid event.
    for (const { cutoff, view } of distinctViews(candidate)) {
      if (view.end < view.start)
        return yield* invalid(
          "revision",
          `as known ${Number.isFinite(cutoff) ? `just before ${toIsoUtc(cutoff)}` : "now"} the event would end (${toIsoUtc(view.end)}) before it starts (${toIsoUtc(view.start)}); revise start and end together`
        )
    }
    return [event]
  })

const decideRetract = (input: RetractInput, history: ReadonlyArray<ExogenousDomainEvent>, now: number): Result<ReadonlyArray<ExogenousDomainEvent>> =>
  Either.gen(function* () {
    const eventId = yield* parseId(input.eventId)
    const state = currentState(history)
    if (state === undefined) return yield* Either.left(new ExogenousEventNotFound({ eventId }))
    if (state.retracted) return yield* Either.left(new ExogenousEventIsRetracted({ eventId }))
    const reason = input.reason.trim()
    if (reason.length === 0 || reason.length > 1000) return yield* invalid("reason", "must be 1..1000 characters")
    const knownAt = yield* input.knownAt === undefined ? Either.right(now) : parseTime("known-at", input.knownAt)
    yield* notFuture("known-at", knownAt, now)
    return [{ type: ExogenousEventTypes.retracted, data: { eventId, reason, knownAt: toIsoUtc(knownAt) } }]
  })

/**
 * Decide a command against the stream's history (log order). `now` (epoch ms) is the default `knownAt`
 * and the bound no `knownAt` may exceed.
 */
export const decide = (
  command: ExogenousCommand,
  history: ReadonlyArray<ExogenousDomainEvent>,
  now: number
): Result<ReadonlyArray<ExogenousDomainEvent>> => {
  const id = commandEventId(command, now)
  if (Either.isRight(id) && history.some((e) => e.data.eventId !== id.right))
    throw new Error(`decide: the history of exogenous event ${history[0]!.data.eventId} was passed for ${id.right}`)
  switch (command._tag) {
    case "AddEvent":
      return decideAdd(command, history, now)
    case "Revise":
      return decideRevise(command, history, now)
    case "Retract":
      return decideRetract(command, history, now)
  }
}
