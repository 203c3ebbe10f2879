/**
 * The event store port. Three adapters implement it (embedded PGlite, PostgreSQL, EventStoreDB) and
 * one conformance suite (test/adapters/event-store/conformance.ts) holds them to the same semantics.
 */
import { Context, Data, type Effect, type Stream } from "effect"
import type { ExpectedRevision, NewEvent, RecordedEvent } from "../events/envelope"

/** The stream was not at the expected revision. */
export class WrongExpectedRevision extends Data.TaggedError("WrongExpectedRevision")<{
  readonly stream: string
  readonly expected: string
  readonly actual: number | "no stream"
}> {
  override get message(): string {
    return `stream ${this.stream}: expected ${this.expected}, found ${this.actual === "no stream" ? "no stream" : `revision ${this.actual}`}`
  }
}

/** The store cannot be reached or failed; `target` names it with any password redacted. */
export class EventStoreError extends Data.TaggedError("EventStoreError")<{
  readonly target: string
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `event store ${this.target}: ${this.reason}`
  }
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly nextRevision: number
  /** Global position of the last appended event (of the existing one when the append was idempotent). */
  readonly position: bigint
  /** False when every event id was already in the stream (idempotent re-append): nothing was written. */
  readonly written: boolean
}

export interface StreamAppend {
  readonly stream: string
  readonly events: ReadonlyArray<NewEvent>
  readonly expected: ExpectedRevision
}

export interface ReadStreamOptions {
  readonly direction?: "forwards" | "backwards"
  /** Start revision (inclusive); default the first (forwards) or last (backwards). */
  readonly fromRevision?: number
  readonly maxCount?: number
}

export interface ReadAllOptions {
  /** Read events with position strictly greater than this; default from the beginning. */
  readonly after?: bigint
  readonly maxCount?: number
  /** Hint for how many events each round trip fetches. */
  readonly batchSize?: number
}

export interface EventStoreService {
  /** Human description of the store (kind and location, password redacted). */
  readonly describe: string
  /**
   * True when the store records each event's hash-chain link and numbers the log 1, 2, 3, ... (the SQL
   * stores): `audit verify` then checks every recorded link. EventStoreDB keeps none; there the chain
   * is recomputed and its head compared with one recorded elsewhere (src/domain/events/chain.ts).
   */
  readonly keepsHashChain: boolean
  /**
   * Append to one stream with optimistic concurrency. Re-appending events whose ids are already in the
   * stream succeeds without writing (idempotency); a partial overlap is a conflict.
   */
  readonly append: (
    stream: string,
    events: ReadonlyArray<NewEvent>,
    expected: ExpectedRevision
  ) => Effect.Effect<AppendResult, WrongExpectedRevision | EventStoreError>
  /**
   * Append to many streams. SQL stores commit the whole batch in one transaction (all or nothing);
   * EventStoreDB appends stream by stream (each append atomic and idempotent, so a re-run completes it).
   * With `skipConflicts`, streams whose expectation fails are reported instead of failing the batch.
   */
  readonly appendMany: (
    appends: ReadonlyArray<StreamAppend>,
    options?: { readonly skipConflicts?: boolean }
  ) => Effect.Effect<{ readonly results: ReadonlyArray<AppendResult | WrongExpectedRevision> }, WrongExpectedRevision | EventStoreError>
  /** Events of one stream; an absent stream reads as empty. */
  readonly readStream: (stream: string, options?: ReadStreamOptions) => Stream.Stream<RecordedEvent, EventStoreError>
  /** Every event in global order (positions strictly increasing). Ends at the current end of the log. */
  readonly readAll: (options?: ReadAllOptions) => Stream.Stream<RecordedEvent, EventStoreError>
  /** Catch up from `after`, then follow new events as they commit; never ends by itself. */
  readonly subscribeAll: (options?: { readonly after?: bigint }) => Stream.Stream<RecordedEvent, EventStoreError>
  /** Global position of the last event, or undefined for an empty store. */
  readonly lastPosition: Effect.Effect<bigint | undefined, EventStoreError>
  /** Number of events in the store. */
  readonly count: Effect.Effect<number, EventStoreError>
}

export class EventStore extends Context.Tag("musktracker/EventStore")<EventStore, EventStoreService>() {}
