/** TEMPORARY until src/domain/events/codec.ts lands: the runtime's one entry to event decoding. */
import { Effect } from "effect"
import type { RecordedEvent } from "../domain/events/envelope"

export type DomainEvent = RecordedEvent

export const decodeEvent = (e: RecordedEvent) => Effect.succeed(e as DomainEvent)
