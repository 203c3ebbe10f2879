/**
 * EventStoreDB / KurrentDB adapter of the EventStore port (@eventstore/db-client 6), selected by
 * EVENTSTORE_URL. The event log lives in EventStoreDB; read models stay in SQL.
 *
 * Global positions: EventStoreDB orders $all by (commit, prepare). We pack the pair into one bigint,
 * commit * 2^64 + prepare, which keeps that order and round-trips exactly, so checkpoints stored in SQL
 * (bigint columns hold up to 2^63: we store positions as numeric/text where ESDB is used) stay valid.
 *
 * Idempotency: EventStoreDB itself treats a re-append of the same event ids at the same expected
 * revision as a no-op. To report `written: false` honestly we look at the stream where the events
 * would go before appending (one small read).
 */
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position,
  type ResolvedEvent
} from "@eventstore/db-client"
import { Effect, Layer, Option, Stream } from "effect"
import type { EventMetadata, ExpectedRevision, NewEvent, RecordedEvent } from "../../domain/events/envelope"
import { describeExpected } from "../../domain/events/envelope"
import {
  EventStore,
  EventStoreError,
  WrongExpectedRevision,
  type AppendResult,
  type EventStoreService
} from "../../domain/ports/event-store"
import { AppConfig, redactUrl } from "../config"

const TWO_64 = 1n << 64n

export const packPosition = (p: Position): bigint => p.commit * TWO_64 + p.prepare
export const unpackPosition = (packed: bigint): Position => ({ commit: packed / TWO_64, prepare: packed % TWO_64 })

const toExpected = (e: ExpectedRevision): AppendExpectedRevision =>
  e._tag === "Any" ? ANY : e._tag === "NoStream" ? NO_STREAM : BigInt(e.revision)

type AnyRecorded = NonNullable<ResolvedEvent["event"]>

const toRecorded = (e: AnyRecorded, fallbackPosition?: Position): RecordedEvent => {
  const position = e.position ?? fallbackPosition
  return {
    id: e.id,
    type: e.type,
    stream: e.streamId,
    revision: Number(e.revision),
    position: position ? packPosition(position) : -1n,
    recordedAt: e.created,
    data: e.isJson ? e.data : Buffer.from(e.data as Uint8Array).toString("utf8"),
    metadata: (e.metadata ?? { schemaVersion: 0, codeVersion: "unknown" }) as unknown as EventMetadata
  }
}

const isSystem = (e: AnyRecorded): boolean => e.type.startsWith("$") || e.streamId.startsWith("$")

export const makeEventStoreDb = (url: string): Effect.Effect<EventStoreService, EventStoreError, import("effect/Scope").Scope> =>
  Effect.gen(function* () {
    const target = redactUrl(url)
    const fail = (reason: string, cause?: unknown) => new EventStoreError({ target, reason, cause })
    const client = yield* Effect.acquireRelease(
      Effect.try({ try: () => EventStoreDBClient.connectionString(url), catch: (c) => fail(`invalid connection string: ${String(c)}`, c) }),
      (c) => Effect.promise(() => c.dispose()).pipe(Effect.ignore)
    )
    const call = <A>(what: string, f: () => Promise<A>) =>
      Effect.tryPromise({ try: f, catch: (c) => fail(`${what} failed: ${c instanceof Error ? c.message : String(c)}`, c) })

    // Fail fast with one clear line when the server cannot be reached.
    yield* call("connect", () => client.readAll({ maxCount: 1, fromPosition: START }).toArray().then(() => undefined))

    /** The events already at the revisions this append would occupy (for idempotency). */
    const existingAt = (stream: string, expected: ExpectedRevision, n: number) => {
      if (expected._tag === "Any") return Effect.succeed<RecordedEvent[]>([])
      const from = expected._tag === "NoStream" ? 0n : BigInt(expected.revision + 1)
      return call("read", async () => {
        try {
          const out: RecordedEvent[] = []
          for await (const r of client.readStream(stream, { fromRevision: from, maxCount: n, direction: FORWARDS })) {
            if (r.event) out.push(toRecorded(r.event))
          }
          return out
        } catch (e) {
          if (e instanceof StreamNotFoundError) return []
          throw e
        }
      })
    }

    const append: EventStoreService["append"] = (stream, events, expected) =>
      Effect.gen(function* () {
        if (events.length === 0) return yield* fail("append of zero events")
        const existing = yield* existingAt(stream, expected, events.length)
        if (existing.length > 0) {
          const same = existing.length === events.length && existing.every((e, i) => e.id === events[i]!.id)
          if (same) {
            const last = existing[existing.length - 1]!
            return { nextRevision: last.revision, position: last.position, written: false } satisfies AppendResult
          }
        }
        const result = yield* Effect.tryPromise({
          try: () =>
            client.appendToStream(
              stream,
              events.map((e: NewEvent) =>
                jsonEvent({ id: e.id, type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata as unknown as Record<string, unknown> })
              ),
              { expectedRevision: toExpected(expected) }
            ),
          catch: (c): WrongExpectedRevision | EventStoreError =>
            c instanceof WrongExpectedVersionError
              ? new WrongExpectedRevision({
                  stream,
                  expected: describeExpected(expected),
                  actual: c.actualVersion === NO_STREAM || typeof c.actualVersion !== "bigint" ? "no stream" : Number(c.actualVersion)
                })
              : fail(`append to ${stream} failed: ${c instanceof Error ? c.message : String(c)}`, c)
        })
        return {
          nextRevision: Number(result.nextExpectedRevision),
          position: result.position ? packPosition(result.position) : -1n,
          written: true
        } satisfies AppendResult
      })

    const appendMany: EventStoreService["appendMany"] = (appends, options) =>
      Effect.forEach(appends, (a) =>
        append(a.stream, a.events, a.expected).pipe(
          Effect.catchTag("WrongExpectedRevision", (e) => (options?.skipConflicts ? Effect.succeed(e) : Effect.fail(e)))
        )
      , { concurrency: 16 }).pipe(Effect.map((results) => ({ results })))

    const readStream: EventStoreService["readStream"] = (stream, options = {}) => {
      const backwards = options.direction === "backwards"
      return Stream.fromAsyncIterable(
        (async function* () {
          try {
            for await (const r of client.readStream(stream, {
              direction: backwards ? BACKWARDS : FORWARDS,
              fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
              maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER
            })) {
              if (r.event) yield toRecorded(r.event)
            }
          } catch (e) {
            if (!(e instanceof StreamNotFoundError)) throw e
          }
        })(),
        (c) => fail(`read of ${stream} failed: ${c instanceof Error ? c.message : String(c)}`, c)
      )
    }

    const fromAll = (r: AllStreamResolvedEvent, after: bigint | undefined): RecordedEvent | undefined => {
      if (!r.event || isSystem(r.event)) return undefined
      const rec = toRecorded(r.event, r.event.position)
      return after !== undefined && rec.position <= after ? undefined : rec
    }

    const readAll: EventStoreService["readAll"] = (options = {}) => {
      const after = options.after
      const stream = Stream.fromAsyncIterable(
        (async function* () {
          for await (const r of client.readAll({ fromPosition: after !== undefined ? unpackPosition(after) : START, direction: FORWARDS })) {
            const rec = fromAll(r, after)
            if (rec) yield rec
          }
        })(),
        (c) => fail(`read of $all failed: ${c instanceof Error ? c.message : String(c)}`, c)
      )
      return options.maxCount !== undefined ? Stream.take(stream, options.maxCount) : stream
    }

    const subscribeAll: EventStoreService["subscribeAll"] = (options = {}) => {
      const after = options.after
      return Stream.unwrapScoped(
        Effect.map(
          Effect.acquireRelease(
            Effect.sync(() =>
              client.subscribeToAll({ fromPosition: after !== undefined ? unpackPosition(after) : START, filter: excludeSystemEvents() })
            ),
            (sub) => Effect.promise(() => sub.unsubscribe()).pipe(Effect.ignore)
          ),
          (sub) =>
            Stream.fromAsyncIterable(sub as AsyncIterable<AllStreamResolvedEvent>, (c) =>
              fail(`subscription to $all failed: ${c instanceof Error ? c.message : String(c)}`, c)
            ).pipe(Stream.filterMap((r) => Option.fromNullable(fromAll(r, after))))
        )
      )
    }

    const lastPosition: EventStoreService["lastPosition"] = call("read", async () => {
      for await (const r of client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 64 })) {
        if (r.event && !isSystem(r.event) && r.event.position) return packPosition(r.event.position)
      }
      return undefined
    })

    // EventStoreDB keeps no cheap count of user events; this scans $all (fine for status, not a hot path).
    const count: EventStoreService["count"] = call("count", async () => {
      let n = 0
      for await (const r of client.readAll({ fromPosition: START, direction: FORWARDS })) if (r.event && !isSystem(r.event)) n++
      return n
    })

    return {
      describe: `EventStoreDB ${target}`,
      append,
      appendMany,
      readStream,
      readAll,
      subscribeAll,
      lastPosition,
      count,
      keepsHashChain: false
    } satisfies EventStoreService
  })

export const EventStoreDbLayer = (url: string): Layer.Layer<EventStore, EventStoreError> => Layer.scoped(EventStore, makeEventStoreDb(url))

/** The EventStoreDB layer from AppConfig.eventstoreUrl (fails if unset). */
export const EventStoreDbFromConfig: Layer.Layer<EventStore, EventStoreError, AppConfig> = Layer.unwrapEffect(
  Effect.map(AppConfig, (c) =>
    Option.match(c.eventstoreUrl, {
      onNone: () => Layer.fail(new EventStoreError({ target: "EVENTSTORE_URL", reason: "EVENTSTORE_URL is not set" })),
      onSome: (url) => EventStoreDbLayer(url)
    })
  )
)
