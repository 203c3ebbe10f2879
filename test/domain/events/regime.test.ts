import { describe, expect, it } from "vitest"
import { Either } from "effect"
import { RegimeShiftDetected, regimeShiftData, regimeStream } from "../../../src/domain/events/regime"
import type { RecordedEvent } from "../../../src/domain/events/envelope"
import { EventEncodeError } from "../../../src/domain/events/codec"
import type { RegimeDetection } from "../../../src/domain/regimes/types"

const detection: RegimeDetection = {
  detector: "bocpd",
  dayStart: Date.parse("2025-04-02T00:00:00Z"),
  detectedAt: Date.parse("2025-04-09T00:00:00Z"),
  probability: 0.54,
  runLength: { map: 7, mean: 21.2, pShort: 0.2 },
  levelBefore: 102.4,
  levelAfter: 57.1
}

const record = (e: ReturnType<typeof RegimeShiftDetected.encode>, stream: string): RecordedEvent => ({
  ...JSON.parse(JSON.stringify(e)),
  stream,
  revision: 0,
  position: 1n,
  recordedAt: new Date(0)
})

describe("RegimeShiftDetected", () => {
  it("round-trips through JSON with a deterministic id and the account's stream", () => {
    const data = regimeShiftData("elonmusk", detection, { hazard: 1 / 90 })
    expect(data.at).toBe("2025-04-02T00:00:00Z")
    const { stream, event } = RegimeShiftDetected.toAppend(data, { codeVersion: "test" })
    expect(stream).toBe(regimeStream("elonmusk"))
    expect(event.id).toBe(RegimeShiftDetected.encode(data, { codeVersion: "other" }).id)
    const decoded = RegimeShiftDetected.decode(record(event, stream))
    expect(Either.isRight(decoded) && decoded.right.data).toEqual(data)
  })

  it("a different detection time is a different fact", () => {
    const a = RegimeShiftDetected.encode(regimeShiftData("elonmusk", detection), { codeVersion: "t" })
    const b = RegimeShiftDetected.encode(regimeShiftData("elonmusk", { ...detection, detectedAt: detection.detectedAt + 86_400_000 }), { codeVersion: "t" })
    expect(a.id).not.toBe(b.id)
  })

  it("refuses a regime start that is not 00:00 UTC, a probability above 1, or a detection before the start", () => {
    const ok = regimeShiftData("elonmusk", detection)
    expect(() => RegimeShiftDetected.encode({ ...ok, at: "2025-04-02T05:00:00Z" }, { codeVersion: "t" })).toThrow(EventEncodeError)
    expect(() => RegimeShiftDetected.encode({ ...ok, probability: 1.2 }, { codeVersion: "t" })).toThrow(EventEncodeError)
    expect(() => RegimeShiftDetected.encode({ ...ok, detectedAt: "2025-04-01T00:00:00Z" }, { codeVersion: "t" })).toThrow(EventEncodeError)
  })
})
