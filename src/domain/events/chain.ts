/**
 * The event log's hash chain (docs/EVENTS.md "Integrity"): every event's hash covers its canonical
 * encoding and the hash of the event before it in global order, as transparency logs and ledger
 * databases do. Editing, deleting, reordering or inserting an event changes the hash of that event or
 * of the one after it; rewriting every later hash to hide it changes the head hash, which `audit head`
 * prints so that it can be recorded elsewhere and compared later.
 *
 * The encoding leaves out what a store assigns on its own (global position, recording time), so every
 * adapter computes the same chain for the same events in the same order. SHA-256 is passed in: the
 * adapters use Node's, the domain's own (src/domain/hash.ts) gives the same digests.
 */
import { canonicalJson } from "../hash"
import type { NewEvent } from "./envelope"

/** The "previous hash" of the first event. */
export const GENESIS_HASH = "0".repeat(64)

export interface ChainedFields extends NewEvent {
  readonly stream: string
  readonly revision: number
}

/**
 * The canonical JSON of an event's chained fields from its payload and metadata already encoded with
 * canonicalJson: equal to canonicalJson({ id, stream, revision, type, data, metadata }) (keys in sorted
 * order; a test holds it to that), so a store that writes the encoded payload anyway encodes it once.
 */
const encodeFields = (id: string, stream: string, revision: number, type: string, dataJson: string, metadataJson: string): string =>
  `{"data":${dataJson},"id":${canonicalJson(id.toLowerCase())},"metadata":${metadataJson},` +
  `"revision":${canonicalJson(revision)},"stream":${canonicalJson(stream)},"type":${canonicalJson(type)}}`

/**
 * What a store computes when it appends an event: its payload and metadata encoded canonically (to be
 * written as they are) and its link. Events without a payload are encoded with a null one.
 */
export const linkEvent = (previousHash: string, e: NewEvent, stream: string, revision: number, sha256: (text: string) => string) => {
  const dataJson = canonicalJson(e.data ?? null)
  const metadataJson = canonicalJson(e.metadata)
  // The text hashed: the previous hash, a newline, the event's canonical JSON.
  return { dataJson, metadataJson, hash: sha256(`${previousHash}\n${encodeFields(e.id, stream, revision, e.type, dataJson, metadataJson)}`) }
}

/** The hash of an event's link: what the store recorded when it appended it (linkEvent), recomputed. */
export const chainHash = (previousHash: string, e: ChainedFields, sha256: (text: string) => string): string =>
  linkEvent(previousHash, e, e.stream, e.revision, sha256).hash

export interface ChainedEvent extends ChainedFields {
  readonly position: bigint
  /** The hash the store recorded (absent where the store keeps none: it is then only recomputed). */
  readonly hash?: string
}

/** Where the log first stops matching its chain, and why. */
export interface ChainBreak {
  readonly position: bigint
  readonly reason: string
}

export interface ChainReport {
  readonly events: number
  readonly head: { readonly position: bigint; readonly hash: string } | undefined
  readonly firstBreak: ChainBreak | undefined
}

/**
 * Walks events in global order and names the first position whose recorded hash does not match its
 * payload and predecessor, or where a position is missing (`contiguous`: positions are 1, 2, 3, ... as in
 * the SQL log). Keeps going after a break to report the count and the recomputed head.
 */
export const makeChainVerifier = (sha256: (text: string) => string, options: { readonly contiguous: boolean }) => {
  let previous = GENESIS_HASH
  let expectedPosition = 1n
  let events = 0
  let head: ChainReport["head"]
  let firstBreak: ChainBreak | undefined
  const brk = (b: ChainBreak) => {
    if (firstBreak === undefined) firstBreak = b
  }
  return {
    push: (e: ChainedEvent): void => {
      events++
      if (options.contiguous && e.position !== expectedPosition)
        brk({
          position: expectedPosition,
          reason:
            e.position > expectedPosition
              ? `position ${expectedPosition}${e.position - expectedPosition > 1n ? `..${e.position - 1n}` : ""} is missing (an event was deleted)`
              : `position ${e.position} is out of order`
        })
      expectedPosition = e.position + 1n
      const hash = chainHash(previous, e, sha256)
      if (e.hash === undefined || e.hash === null) {
        if (options.contiguous) brk({ position: e.position, reason: "the event has no recorded hash (inserted outside the event store?)" })
      } else if (e.hash !== hash) {
        brk({ position: e.position, reason: "the recorded hash does not match the event's payload and its predecessor (the event, or the one before it, was changed, removed or moved)" })
      }
      // Continue from the recorded hash when there is one, so one edit is reported once, where it is.
      previous = e.hash ?? hash
      head = { position: e.position, hash: e.hash ?? hash }
    },
    report: (): ChainReport => ({ events, head, firstBreak })
  }
}
