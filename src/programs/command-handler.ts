/**
 * One way to change a stream from a command (as Emmett's CommandHandler does): read the stream, fold
 * its events into a state, decide the new events from the state (pure, in src/domain), and append them
 * expecting the revision that was read. A writer that moved the stream in between makes the append
 * fail with WrongExpectedRevision; the handler then reads and decides again (up to `retries` times),
 * so a decision is always made on the stream as it is when its events land.
 */
import { Chunk, Effect, Schedule, Stream } from "effect"
import { ExpectedRevision, type NewEvent, type RecordedEvent } from "../domain/events/envelope"
import { EventStore, WrongExpectedRevision } from "../domain/ports/event-store"

export interface StreamDecision<State, Event, DecodeE, DecodeR, DecideE, DecideR> {
  readonly stream: string
  /** A recorded event as the decider sees it (undefined: not one of its events; skipped). */
  readonly decode: (recorded: RecordedEvent) => Effect.Effect<Event | undefined, DecodeE, DecodeR>
  readonly initial: State
  readonly evolve: (state: State, event: Event, recorded: RecordedEvent) => State
  /** The new events (none: nothing to do), from the stream's state; pure where it can be. */
  readonly decide: (state: State) => Effect.Effect<ReadonlyArray<Event>, DecideE, DecideR>
  /** Envelopes of the decided events; `firstRevision` is the revision the first one will get. */
  readonly encode: (events: ReadonlyArray<Event>, firstRevision: number) => ReadonlyArray<NewEvent>
  /** Reads and decisions again after a concurrent write (default 3). */
  readonly retries?: number
}

export interface StreamDecided<State, Event> {
  /** The state the decision was made on. */
  readonly before: State
  readonly events: ReadonlyArray<Event>
  /** Revision of the stream's last event after the append (-1: the stream is empty). */
  readonly revision: number
}

export const handleCommand = <State, Event, DecodeE, DecodeR, DecideE, DecideR>(d: StreamDecision<State, Event, DecodeE, DecodeR, DecideE, DecideR>) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const recorded = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readStream(d.stream)))
    let state = d.initial
    for (const r of recorded) {
      const event = yield* d.decode(r)
      if (event !== undefined) state = d.evolve(state, event, r)
    }
    const last = recorded.length === 0 ? -1 : recorded[recorded.length - 1]!.revision
    const events = yield* d.decide(state)
    if (events.length === 0) return { before: state, events, revision: last } satisfies StreamDecided<State, Event>
    const expected = last < 0 ? ExpectedRevision.noStream : ExpectedRevision.exact(last)
    const appended = yield* store.append(d.stream, d.encode(events, last + 1), expected)
    return { before: state, events, revision: appended.nextRevision } satisfies StreamDecided<State, Event>
  }).pipe(
    Effect.retry({
      while: (e): boolean => e instanceof WrongExpectedRevision,
      schedule: Schedule.recurs(d.retries ?? 3)
    })
  )
