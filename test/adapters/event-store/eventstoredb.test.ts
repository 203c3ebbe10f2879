/**
 * The same conformance suite against a real EventStoreDB/KurrentDB server. No server can run on the
 * development machines, so this file runs only when EVENTSTORE_URL points at one, e.g.
 *   docker run -d -p 2113:2113 eventstore/eventstore:24.10 --insecure
 *   EVENTSTORE_URL="esdb://localhost:2113?tls=false" npx vitest run test/adapters/event-store/eventstoredb.test.ts
 * Without it vitest reports the suite as skipped (never as passed).
 */
import { describe, expect, it } from "vitest"
import { EventStoreDbLayer, packPosition, unpackPosition } from "../../../src/adapters/event-store/eventstoredb"
import { runEventStoreConformance } from "./conformance"

const url = process.env.EVENTSTORE_URL

describe("EventStoreDB position packing (no server needed)", () => {
  it("round-trips (commit, prepare) and keeps $all order", () => {
    const a = { commit: 123_456_789_012n, prepare: 123_456_789_000n }
    const b = { commit: 123_456_789_012n, prepare: 123_456_789_011n }
    const c = { commit: 123_456_789_013n, prepare: 0n }
    expect(unpackPosition(packPosition(a))).toEqual(a)
    expect(packPosition(a) < packPosition(b)).toBe(true)
    expect(packPosition(b) < packPosition(c)).toBe(true)
  })
})

if (url) runEventStoreConformance("EventStoreDB", () => EventStoreDbLayer(url))
else describe.skip("event store conformance: EventStoreDB (set EVENTSTORE_URL to run)", () => it("needs a server", () => undefined))
