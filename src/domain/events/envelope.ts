/**
 * The shape of an event on its way into and out of any event store, independent of its payload type.
 * Payload schemas live in the catalog (src/domain/events/catalog.ts); this file knows nothing of them.
 */

/** Metadata carried by every event. */
export interface EventMetadata {
  /** Version of the payload schema of this event type. */
  readonly schemaVersion: number
  /** Groups every event written by one command/run. */
  readonly correlationId?: string
  /** The event (id) or command that caused this one. */
  readonly causationId?: string
  /** `musktracker@<package version>+<git sha or "dev">` of the code that wrote it. */
  readonly codeVersion: string
}

/** An event to append: its id is deterministic wherever the fact has a natural key. */
export interface NewEvent {
  readonly id: string
  readonly type: string
  readonly data: unknown
  readonly metadata: EventMetadata
}

/** An event as read back, with where it sits in its stream and in the global log. */
export interface RecordedEvent extends NewEvent {
  readonly stream: string
  /** 0-based revision within its stream. */
  readonly revision: number
  /**
   * Global position in the store's total order ("all" stream). Strictly increasing in read order.
   * SQL stores use a sequence; EventStoreDB packs (commit, prepare) into one bigint.
   */
  readonly position: bigint
  readonly recordedAt: Date
  /** Hash-chain link the store recorded (src/domain/events/chain.ts); SQL stores keep one, EventStoreDB none. */
  readonly hash?: string
}

/** Expected state of a stream for optimistic concurrency. */
export type ExpectedRevision =
  | { readonly _tag: "NoStream" }
  | { readonly _tag: "Any" }
  | { readonly _tag: "Exact"; readonly revision: number }

export const ExpectedRevision = {
  noStream: { _tag: "NoStream" } as ExpectedRevision,
  any: { _tag: "Any" } as ExpectedRevision,
  exact: (revision: number): ExpectedRevision => ({ _tag: "Exact", revision })
}

export const describeExpected = (e: ExpectedRevision): string =>
  e._tag === "Exact" ? `revision ${e.revision}` : e._tag === "NoStream" ? "no stream" : "any"

/** Category of a stream name `category-id` (text before the first dash). */
export const streamCategory = (stream: string): string => {
  const i = stream.indexOf("-")
  return i < 0 ? stream : stream.slice(0, i)
}
