/**
 * The event catalog: every event type MuskTracker writes, in one list. Readers of the whole log decode
 * with `decodeEvent`; an event of a type not listed here stops them with an EventDecodeError.
 *
 * To add events: define them with `defineEvent` in their own module (./tweet.ts is the model), import
 * them here and list them in `catalog`. Document each in docs/EVENTS.md.
 */
import { Effect } from "effect"
import { decodeStream, makeDecoder, type EventOf } from "./codec"
import type { RecordedEvent } from "./envelope"
import { TweetObserved } from "./tweet"
import { exogenousDefinitions } from "./exogenous"
import { backtestDefinitions } from "./backtest"
import { ModelFitted } from "./model"
import { RegimeShiftDetected } from "./regime"
import { forecastDefinitions } from "./forecast"
import { ingestionDefinitions } from "./ingestion"
import { accountDefinitions } from "./account"

export const catalog = [TweetObserved, ...exogenousDefinitions, ...backtestDefinitions, ModelFitted, RegimeShiftDetected, ...forecastDefinitions, ...ingestionDefinitions, ...accountDefinitions] as const

/** Any decoded event of the catalog: a union discriminated by `type`. */
export type CatalogEvent = EventOf<(typeof catalog)[number]>
export type CatalogEventType = CatalogEvent["type"]

/** RecordedEvent -> CatalogEvent, as an Either. */
export const decodeCatalogEvent = makeDecoder(catalog)

/** RecordedEvent -> CatalogEvent, as an Effect failing with EventDecodeError. */
export const decodeEvent = (recorded: RecordedEvent) => Effect.suspend(() => decodeCatalogEvent(recorded))

/** Decodes a stream of recorded events; stops at the first event that does not decode. */
export const decodeCatalogStream = decodeStream(decodeCatalogEvent)
