import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { exogenousSchemas, type ExogenousDomainEvent } from "../../../src/domain/events/exogenous"
import { decide, naturalEventId, type ExogenousCommand } from "../../../src/domain/exogenous/decider"
import { currentState, stateAsOf } from "../../../src/domain/exogenous/state"

const NOW = Date.parse("2026-01-10T12:00:00Z")
const seed = {
  _tag: "AddEvent",
  name: "Tesla Q4 Earnings",
  start: "2025-01-15T00:00:00Z",
  end: "2025-01-15T23:59:59Z",
  intensity: 0.8
} as const

const ok = (command: ExogenousCommand, history: ReadonlyArray<ExogenousDomainEvent> = [], now = NOW) => {
  const r = decide(command, history, now)
  if (Either.isLeft(r)) throw new Error(`unexpected rejection: ${r.left.message}`)
  // Every event the decider emits must decode with its own schema.
  for (const e of r.right) Schema.decodeUnknownSync(exogenousSchemas[e.type] as Schema.Schema<unknown, unknown>)(e.data)
  return r.right
}
const rejected = (command: ExogenousCommand, history: ReadonlyArray<ExogenousDomainEvent> = [], now = NOW) => {
  const r = decide(command, history, now)
  if (Either.isRight(r)) throw new Error(`expected a rejection, got ${JSON.stringify(r.right)}`)
  expect(r.left.message).not.toContain("\n")
  return r.left
}

describe("AddEvent", () => {
  it("records the seed's example as an unscheduled event known now, with a deterministic id", () => {
    const [e] = ok(seed)
    expect(e!.type).toBe("ExogenousEventCurated")
    expect(e!.data).toEqual({
      eventId: naturalEventId("Tesla Q4 Earnings", Date.parse("2025-01-15T00:00:00Z"), Date.parse("2025-01-15T23:59:59Z")),
      name: "Tesla Q4 Earnings",
      start: "2025-01-15T00:00:00Z",
      end: "2025-01-15T23:59:59Z",
      intensity: 0.8,
      knownAt: "2026-01-10T12:00:00Z",
      kind: "unscheduled",
      tags: []
    })
    expect(ok(seed)[0]!.data.eventId).toBe(e!.data.eventId)
  })

  it("stores instants given with any offset in UTC", () => {
    const [e] = ok({ ...seed, start: "2025-01-15T01:30:00+01:30", end: "2025-01-14T23:00:00-05:00", knownAt: "2025-01-15T09:00:00+09:00", kind: "scheduled" })
    expect(e!.data).toMatchObject({ start: "2025-01-15T00:00:00Z", end: "2025-01-15T04:00:00Z", knownAt: "2025-01-15T00:00:00Z" })
  })

  it("lets a scheduled event be known before it starts, but not an unscheduled one", () => {
    const early = { ...seed, knownAt: "2024-12-01T00:00:00Z" }
    expect(ok({ ...early, kind: "scheduled" })[0]!.data).toMatchObject({ kind: "scheduled", knownAt: "2024-12-01T00:00:00Z" })
    const err = rejected(early)
    expect(err._tag).toBe("InvalidExogenousInput")
    expect(err.message).toMatch(/unscheduled event cannot be public before it starts/)
  })

  it.each([
    [{ intensity: 1.2 }, /intensity/],
    [{ intensity: -0.1 }, /intensity/],
    [{ intensity: Number.NaN }, /intensity/],
    [{ intensity: "0.5x" }, /intensity/],
    [{ end: "2025-01-14T23:59:59Z" }, /end: .* precedes start/],
    [{ start: "2025-01-15T00:00:00" }, /start: .*offset/],
    [{ start: "yesterday" }, /start/],
    [{ name: "   " }, /name/],
    [{ name: "two\nlines" }, /name: must be one line/],
    [{ kind: "sometimes" }, /kind/],
    [{ tags: ["two words"] }, /tag/],
    [{ knownAt: "2026-02-01T00:00:00Z", kind: "scheduled" }, /known-at: .*future/],
    [{ eventId: "not-a-uuid" }, /id/]
  ] as const)("rejects %j with one line", (patch, pattern) => {
    const err = rejected({ ...seed, ...patch } as ExogenousCommand)
    expect(err._tag).toBe("InvalidExogenousInput")
    expect(err.message).toMatch(pattern)
  })

  it("accepts intensity as text at the bounds, and dedupes tags", () => {
    expect(ok({ ...seed, intensity: "1" })[0]!.data).toMatchObject({ intensity: 1 })
    expect(ok({ ...seed, intensity: "0" })[0]!.data).toMatchObject({ intensity: 0 })
    expect(ok({ ...seed, tags: ["tesla", "earnings", "tesla"] })[0]!.data).toMatchObject({ tags: ["tesla", "earnings"] })
  })

  it("refuses to add an event that exists", () => {
    const history = ok(seed)
    expect(rejected(seed, history)._tag).toBe("ExogenousEventExists")
  })
})

describe("Revise", () => {
  const history = ok({ ...seed, kind: "scheduled", knownAt: "2024-12-01T00:00:00Z" })
  const eventId = history[0]!.data.eventId

  it("records only the fields that change, known now by default", () => {
    const [e] = ok({ _tag: "Revise", eventId, changes: { intensity: 0.5, name: "Tesla Q4 Earnings" } }, history)
    expect(e!.data).toEqual({ eventId, changes: { intensity: 0.5 }, knownAt: "2026-01-10T12:00:00Z" })
    expect(currentState([...history, e!])).toMatchObject({ intensity: 0.5, revisions: 1 })
  })

  it("rejects an empty revision, an unknown id and out-of-range values", () => {
    expect(rejected({ _tag: "Revise", eventId, changes: { intensity: 0.8 } }, history).message).toMatch(/changes nothing/)
    expect(rejected({ _tag: "Revise", eventId, changes: {} }, history).message).toMatch(/changes nothing/)
    expect(rejected({ _tag: "Revise", eventId, changes: { intensity: 2 } }, history).message).toMatch(/intensity/)
    expect(rejected({ _tag: "Revise", eventId: "1b4e28ba-2fa1-11d2-883f-0016d3cca427", changes: { intensity: 0.1 } }, [])._tag).toBe(
      "ExogenousEventNotFound"
    )
    // A history of another stream is a caller bug, not a rejection.
    expect(() => decide({ _tag: "Revise", eventId: "1b4e28ba-2fa1-11d2-883f-0016d3cca427", changes: { intensity: 0.1 } }, history, NOW)).toThrow(
      /history of exogenous event/
    )
    expect(rejected({ _tag: "Revise", eventId, changes: { end: "2025-01-14T00:00:00Z" } }, history).message).toMatch(/precedes start/)
  })

  it("rejects a revision that leaves an earlier as-of view with end before start", () => {
    // Move the event a week later: end first (public later), then start (public earlier).
    const h1 = [...history, ...ok({ _tag: "Revise", eventId, changes: { end: "2025-01-22T23:59:59Z" }, revisionKnownAt: "2025-01-05T00:00:00Z" }, history)]
    const err = rejected({ _tag: "Revise", eventId, changes: { start: "2025-01-22T00:00:00Z" }, revisionKnownAt: "2025-01-01T00:00:00Z" }, h1)
    expect(err.message).toMatch(/as known just before 2025-01-01T00:00:00.001Z the event would end/)
    // Together they are fine.
    ok({ _tag: "Revise", eventId, changes: { start: "2025-01-22T00:00:00Z" }, revisionKnownAt: "2025-01-06T00:00:00Z" }, h1)
  })

  it("treats a known-at correction as valid from the earlier of the two instants", () => {
    const [later] = ok({ _tag: "Revise", eventId, changes: { knownAt: "2024-12-20T00:00:00Z" } }, history)
    expect(later!.data.knownAt).toBe("2024-12-01T00:00:00Z")
    // Between the old and the corrected known-at the event is no longer visible.
    expect(stateAsOf([...history, later!], Date.parse("2024-12-10T00:00:00Z"))).toBeUndefined()
    expect(stateAsOf(history, Date.parse("2024-12-10T00:00:00Z"))).toBeDefined()
    const [earlier] = ok({ _tag: "Revise", eventId, changes: { knownAt: "2024-11-20T00:00:00Z" } }, history)
    expect(earlier!.data.knownAt).toBe("2024-11-20T00:00:00Z")
    expect(stateAsOf([...history, earlier!], Date.parse("2024-11-25T00:00:00Z"))).toBeDefined()
  })

  it("cannot revise a retracted event", () => {
    const h = [...history, ...ok({ _tag: "Retract", eventId, reason: "cancelled" }, history)]
    expect(rejected({ _tag: "Revise", eventId, changes: { intensity: 0.1 } }, h)._tag).toBe("ExogenousEventIsRetracted")
  })

  it("rejects a revision known in the future", () => {
    expect(
      rejected({ _tag: "Revise", eventId, changes: { intensity: 0.1 }, revisionKnownAt: "2026-01-10T12:00:01Z" }, history).message
    ).toMatch(/future/)
  })
})

describe("Retract", () => {
  const history = ok(seed)
  const eventId = history[0]!.data.eventId

  it("records the reason and when it became public, once", () => {
    const [e] = ok({ _tag: "Retract", eventId, reason: "  duplicate entry ", knownAt: "2026-01-01T00:00:00+01:00" }, history)
    expect(e!.data).toEqual({ eventId, reason: "duplicate entry", knownAt: "2025-12-31T23:00:00Z" })
    const h = [...history, e!]
    expect(currentState(h)).toMatchObject({ retracted: true })
    expect(rejected({ _tag: "Retract", eventId, reason: "again" }, h)._tag).toBe("ExogenousEventIsRetracted")
  })

  it("needs a reason and an existing event", () => {
    expect(rejected({ _tag: "Retract", eventId, reason: " " }, history).message).toMatch(/reason/)
    expect(rejected({ _tag: "Retract", eventId, reason: "x" }, [])._tag).toBe("ExogenousEventNotFound")
  })
})
