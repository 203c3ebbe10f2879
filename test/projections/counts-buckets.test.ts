/** The counts projections' text bucketing equals the time module's (floor, then canonical ISO). */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { dayFloor, hourFloor, toIsoUtc } from "../../src/domain/time"
import { dayBucket, hourBucket } from "../../src/projections/counts"

describe("hourBucket / dayBucket", () => {
  it("equal toIsoUtc(hourFloor(t)) and toIsoUtc(dayFloor(t)) for canonical instants", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2199, 11, 31) }), (ms) => {
        const iso = toIsoUtc(ms)
        expect(hourBucket(iso)).toBe(toIsoUtc(hourFloor(ms)))
        expect(dayBucket(iso)).toBe(toIsoUtc(dayFloor(ms)))
      }),
      { numRuns: 5_000 }
    )
  })

  it("handle non-canonical spellings through the time module", () => {
    expect(hourBucket("2024-03-05T10:59:59+02:00")).toBe("2024-03-05T08:00:00Z")
    expect(dayBucket("2024-03-05T23:30:00-01:00")).toBe("2024-03-06T00:00:00Z")
    expect(hourBucket("2024-03-05T10:59:59.5Z")).toBe("2024-03-05T10:00:00Z")
  })
})
