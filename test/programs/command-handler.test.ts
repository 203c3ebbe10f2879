/**
 * The command handler on a real store: decisions are made on the stream as it is when their events
 * land — a writer that moved the stream in between makes the handler read and decide again.
 */
import { Effect, Exit } from "effect"
import { v5 as uuidv5 } from "uuid"
import { describe, expect, it } from "vitest"
import { ExpectedRevision, type NewEvent, type RecordedEvent } from "../../src/domain/events/envelope"
import { EventStore } from "../../src/domain/ports/event-store"
import { handleCommand } from "../../src/programs/command-handler"
import { useStore } from "../projections/read-model-store"

const NAMESPACE = "0b3c7c1e-6f4a-4f0e-9a57-5d3f1c2b8e01"
/** Event `n` written by `writer` (ids differ per writer, as two commands' events would). */
const event = (writer: string, n: number): NewEvent => ({
  id: uuidv5(`${writer}/${n}`, NAMESPACE),
  type: "Counted",
  data: { n },
  metadata: { schemaVersion: 1, codeVersion: "test" }
})

/** "Append the next number once the stream holds fewer than `limit`": a decision that depends on the state. */
const countTo = (stream: string, limit: number, beforeAppend: Effect.Effect<void, unknown, EventStore> = Effect.void) =>
  handleCommand({
    stream,
    decode: (r: RecordedEvent) => Effect.succeed((r.data as { n: number }).n),
    initial: 0,
    evolve: (count, _n: number) => count + 1,
    decide: (count) => Effect.as(beforeAppend, count < limit ? [count + 1] : []),
    encode: (ns) => ns.map((n) => event(stream, n))
  })

describe("handleCommand", () => {
  const store = useStore("pglite")

  it("folds the stream, appends what the decision gives at the revision it read, and appends nothing when it gives nothing", async () => {
    const first = await store.run(countTo("counter-a", 2))
    expect(first).toMatchObject({ before: 0, events: [1], revision: 0 })
    expect(await store.run(countTo("counter-a", 2))).toMatchObject({ before: 1, events: [2], revision: 1 })
    expect(await store.run(countTo("counter-a", 2))).toMatchObject({ before: 2, events: [], revision: 1 })
  })

  it("a concurrent write between read and append makes it decide again on the new state", async () => {
    let interfered = false
    // The first time it decides, another writer appends event 1 first.
    const sneak = Effect.gen(function* () {
      if (interfered) return
      interfered = true
      const s = yield* EventStore
      yield* s.append("counter-b", [event("someone-else", 1)], ExpectedRevision.noStream)
    })
    const r = await store.run(countTo("counter-b", 5, sneak))
    expect(interfered).toBe(true)
    // Decided again on [1]: appends 2 (not a second 1).
    expect(r).toMatchObject({ before: 1, events: [2], revision: 1 })
    const revisions = await store.run(countTo("counter-b", 2))
    expect(revisions).toMatchObject({ before: 2, events: [] })
  })

  it("gives up with WrongExpectedRevision after its retries when the stream keeps moving", async () => {
    let n = 100
    const alwaysSneak = Effect.gen(function* () {
      const s = yield* EventStore
      n += 1
      yield* s.append("counter-c", [event("counter-c", n)], ExpectedRevision.any)
    })
    const exit = await store.runExit(
      handleCommand({
        stream: "counter-c",
        decode: (r: RecordedEvent) => Effect.succeed((r.data as { n: number }).n),
        initial: 0,
        evolve: (count: number) => count + 1,
        decide: () => Effect.as(alwaysSneak, [0]),
        encode: (ns) => ns.map((k) => event("counter-c", k)),
        retries: 2
      })
    )
    expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("WrongExpectedRevision")
    expect(n).toBe(103) // one try and two retries, each moved by another writer
  })
})
