/**
 * Defining an event type once, with effect/Schema, and moving it in and out of the envelope:
 * `defineEvent(type, schemaVersion, schema, options)` gives the encoder (typed payload -> NewEvent with
 * metadata and a deterministic id) and the decoder (RecordedEvent -> typed event, or an EventDecodeError
 * naming stream, revision and global position). A reader that meets an undecodable event stops with that
 * error: nothing is ever skipped silently.
 */
import { Data, Either, ParseResult, Schema, Stream } from "effect"
import { v5 as uuidv5 } from "uuid"
import type { EventMetadata, NewEvent, RecordedEvent } from "./envelope"

/**
 * Namespace of every deterministic event id of MuskTracker (UUID v5). Never change it: the ids already
 * in every log, and thereby their idempotency, depend on it.
 */
export const EVENT_ID_NAMESPACE = "0b2652b4-147d-4dcf-ad3c-eb586ebad1a7"

/** The event id of a fact with natural key `naturalKey`, e.g. `tweet-observed:1600000000000000000`. */
export const eventIdFor = (naturalKey: string): string => uuidv5(naturalKey, EVENT_ID_NAMESPACE)

/** An event read from the log that this code cannot decode. Stops the reader. */
export class EventDecodeError extends Data.TaggedError("EventDecodeError")<{
  readonly stream: string
  readonly revision: number
  readonly position: bigint
  readonly type: string
  readonly eventId: string
  readonly reason: string
}> {
  override get message(): string {
    return `cannot decode event ${this.type} ${this.eventId} at ${this.stream}@${this.revision} (global position ${this.position}): ${this.reason}`
  }
}

/** A payload that does not satisfy its own schema on the way in: a bug in the caller, raised as a defect. */
export class EventEncodeError extends Data.TaggedError("EventEncodeError")<{
  readonly type: string
  readonly reason: string
}> {
  override get message(): string {
    return `cannot encode event ${this.type}: ${this.reason}`
  }
}

/** Who is writing: goes into every event's metadata. */
export interface EncodeContext {
  /** From src/adapters/code-version.ts `codeVersion()` (or a fixed string in tests). */
  readonly codeVersion: string
  /** Shared by every event of one command or run. */
  readonly correlationId?: string
  /** Id of the event or command that caused this one. */
  readonly causationId?: string
}

/** A decoded event: the recorded envelope with its payload typed. */
export type Decoded<T extends string, A> = Omit<RecordedEvent, "type" | "data"> & { readonly type: T; readonly data: A }

export interface EventDefinitionOptions<A> {
  /** The stream this fact belongs to, e.g. `(d) => "tweet-" + d.tweetId`. */
  readonly stream?: (data: A) => string
  /** Natural key of the fact: its event id becomes `eventIdFor(naturalKey(data))` (else the caller passes an id or a natural key). */
  readonly naturalKey?: (data: A) => string
  /**
   * Turns a payload written under an older schema version into the current encoded form. Without it,
   * an event of another version fails to decode.
   */
  readonly upcast?: (data: unknown, fromVersion: number) => unknown
}

export interface EventDefinition<T extends string, A, I = unknown> {
  readonly type: T
  readonly schemaVersion: number
  readonly schema: Schema.Schema<A, I>
  readonly options: EventDefinitionOptions<A>
  /** The id `encode` will give this payload: UUID v5 of its natural key, or undefined when it has none. */
  readonly idOf: (data: A) => string | undefined
  /** The stream of this payload (throws when the definition has no `stream` option). */
  readonly streamOf: (data: A) => string
  /**
   * Payload -> NewEvent. The id is, in order: `options.id`, UUID v5 of `options.naturalKey`, of the
   * definition's natural key; with neither, an EventEncodeError. Throws EventEncodeError if the payload is invalid.
   */
  readonly encode: (data: A, context: EncodeContext, options?: { readonly id?: string; readonly naturalKey?: string }) => NewEvent
  /** `encode` plus the payload's stream, ready for EventStore.append/appendMany. */
  readonly toAppend: (data: A, context: EncodeContext) => { readonly stream: string; readonly event: NewEvent }
  /** RecordedEvent of this type -> typed event. */
  readonly decode: (recorded: RecordedEvent) => Either.Either<Decoded<T, A>, EventDecodeError>
  /** Narrows a decoded catalog event to this type. */
  readonly is: <E extends { readonly type: string }>(event: E) => event is Extract<E, { readonly type: T }>
}

export type AnyEventDefinition = EventDefinition<string, any, any>

/** The decoded event type of a definition (or of a union of definitions). */
export type EventOf<D> = D extends EventDefinition<infer T, infer A, any> ? Decoded<T, A> : never

const decodeFailure = (recorded: RecordedEvent, reason: string) =>
  new EventDecodeError({
    stream: recorded.stream,
    revision: recorded.revision,
    position: recorded.position,
    type: recorded.type,
    eventId: recorded.id,
    reason
  })

/** "field.path: message; ..." — names the offending field on one line. */
const formatParseError = (e: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(e)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message))
    .join("; ")
    .replace(/\s*\n\s*/g, " ")

export const defineEvent = <T extends string, A, I>(
  type: T,
  schemaVersion: number,
  schema: Schema.Schema<A, I, never>,
  options: EventDefinitionOptions<A> = {}
): EventDefinition<T, A, I> => {
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) throw new Error(`event ${type}: schemaVersion must be an integer >= 1`)
  const encodePayload = Schema.encodeEither(schema)
  const decodePayload = Schema.decodeUnknownEither(schema)
  const idOf = (data: A) => (options.naturalKey ? eventIdFor(options.naturalKey(data)) : undefined)
  const streamOf = (data: A) => {
    if (!options.stream) throw new Error(`event ${type} has no stream function`)
    return options.stream(data)
  }

  const encode: EventDefinition<T, A, I>["encode"] = (data, context, o) => {
    const encoded = encodePayload(data)
    if (Either.isLeft(encoded)) throw new EventEncodeError({ type, reason: formatParseError(encoded.left) })
    const metadata: EventMetadata = {
      schemaVersion,
      ...(context.correlationId !== undefined ? { correlationId: context.correlationId } : {}),
      ...(context.causationId !== undefined ? { causationId: context.causationId } : {}),
      codeVersion: context.codeVersion
    }
    // Ids are deterministic (a natural key's UUID v5) or given: the domain draws no random id.
    const id = o?.id ?? (o?.naturalKey !== undefined ? eventIdFor(o.naturalKey) : idOf(data))
    if (id === undefined) throw new EventEncodeError({ type, reason: "no event id: the definition has no natural key, so pass { id } or { naturalKey }" })
    return { id, type, data: encoded.right, metadata }
  }

  const decode = (recorded: RecordedEvent): Either.Either<Decoded<T, A>, EventDecodeError> => {
    if (recorded.type !== type) return Either.left(decodeFailure(recorded, `expected type ${type}`))
    const version = (recorded.metadata as Partial<EventMetadata> | null | undefined)?.schemaVersion
    if (typeof version !== "number" || !Number.isInteger(version))
      return Either.left(decodeFailure(recorded, "metadata has no integer schemaVersion"))
    let payload: unknown = recorded.data
    if (version > schemaVersion)
      return Either.left(decodeFailure(recorded, `schema version ${version} is newer than this code's ${schemaVersion}; upgrade MuskTracker`))
    if (version < schemaVersion) {
      if (!options.upcast) return Either.left(decodeFailure(recorded, `schema version ${version} has no upcaster to version ${schemaVersion}`))
      try {
        payload = options.upcast(payload, version)
      } catch (e) {
        return Either.left(decodeFailure(recorded, `upcasting from version ${version} failed: ${e instanceof Error ? e.message : String(e)}`))
      }
    }
    const data = decodePayload(payload)
    if (Either.isLeft(data)) return Either.left(decodeFailure(recorded, formatParseError(data.left)))
    return Either.right({ ...recorded, type, data: data.right })
  }

  return {
    type,
    schemaVersion,
    schema,
    options,
    idOf,
    streamOf,
    encode,
    toAppend: (data, context) => ({ stream: streamOf(data), event: encode(data, context) }),
    decode,
    is: <E extends { readonly type: string }>(event: E): event is Extract<E, { readonly type: T }> => event.type === type
  }
}

/**
 * A decoder for a set of definitions (normally the catalog). An event whose type is not among them is an
 * EventDecodeError too: a reader of the whole log must know every type in it.
 */
export const makeDecoder = <const Ds extends ReadonlyArray<AnyEventDefinition>>(definitions: Ds) => {
  const byType = new Map<string, AnyEventDefinition>()
  for (const d of definitions) {
    if (byType.has(d.type)) throw new Error(`event type ${d.type} is defined twice`)
    byType.set(d.type, d)
  }
  return (recorded: RecordedEvent): Either.Either<EventOf<Ds[number]>, EventDecodeError> => {
    const d = byType.get(recorded.type)
    if (!d) return Either.left(decodeFailure(recorded, `unknown event type (known: ${[...byType.keys()].join(", ")})`))
    return d.decode(recorded) as Either.Either<EventOf<Ds[number]>, EventDecodeError>
  }
}

/** Decodes a stream of recorded events; the first event that does not decode fails the stream. */
export const decodeStream =
  <A>(decoder: (recorded: RecordedEvent) => Either.Either<A, EventDecodeError>) =>
  <E, R>(events: Stream.Stream<RecordedEvent, E, R>): Stream.Stream<A, E | EventDecodeError, R> =>
    Stream.mapEffect(events, decoder)
