import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bucketHourly, dayOfWeek, HOUR_MS, hourFloor, hourOfWeek, isCanonicalInstant, mondaysBetween, parseInstant, toIsoUtc, weekFloor } from "../../src/domain/time"
import { quantileSorted } from "../../src/domain/stats/quantile"

describe("UTC time buckets", () => {
  const t = Date.parse("2025-07-09T13:45:12.345Z") // a Wednesday

  it("floors to the UTC hour, week (Monday) and numbers days from Monday = 0", () => {
    expect(toIsoUtc(hourFloor(t))).toBe("2025-07-09T13:00:00Z")
    expect(dayOfWeek(t)).toBe(2)
    expect(dayOfWeek(Date.parse("2025-07-13T23:59:59Z"))).toBe(6)
    expect(toIsoUtc(weekFloor(t))).toBe("2025-07-07T00:00:00Z")
    expect(hourOfWeek(t)).toBe(2 * 24 + 13)
  })

  it("lists the Mondays in a range, inclusive", () => {
    expect(mondaysBetween(Date.parse("2025-07-07T00:00:00Z"), Date.parse("2025-07-21T00:00:00Z")).map(toIsoUtc)).toEqual([
      "2025-07-07T00:00:00Z",
      "2025-07-14T00:00:00Z",
      "2025-07-21T00:00:00Z"
    ])
    expect(mondaysBetween(Date.parse("2025-07-07T00:00:01Z"), Date.parse("2025-07-14T00:00:00Z")).map(toIsoUtc)).toEqual(["2025-07-14T00:00:00Z"])
  })

  it("parses instants with an offset or Z, and bare dates as UTC midnight; refuses local times", () => {
    expect(parseInstant("2025-01-15T12:00:00-05:00")).toBe(Date.parse("2025-01-15T17:00:00Z"))
    expect(parseInstant("2025-01-15T12:00Z")).toBe(Date.parse("2025-01-15T12:00:00Z"))
    expect(parseInstant("2025-01-15")).toBe(Date.UTC(2025, 0, 15))
    expect(parseInstant("2025-01-15T12:00:00")).toBeUndefined()
    expect(parseInstant("2025-02-30")).toBeUndefined()
    // Years 0-99 are not 1900-1999: year 0 is a leap year, 1900 is not.
    expect(parseInstant("0000-02-29")).toBe(Date.parse("0000-02-29T00:00:00Z"))
    expect(parseInstant("1900-02-29")).toBeUndefined()
    expect(parseInstant("2024-02-29")).toBe(Date.UTC(2024, 1, 29))
    expect(parseInstant("2025-02-29T00:00:00Z")).toBeUndefined()
    expect(parseInstant("2025-01-15T24:00:00Z")).toBeUndefined()
    expect(parseInstant("2025-01-15T12:00:00+25:00")).toBeUndefined()
    expect(parseInstant("2025-01-15T12:00:00.123456+0530")).toBe(Date.parse("2025-01-15T06:30:00.123Z"))
    expect(parseInstant("soon")).toBeUndefined()
  })

  it("buckets instants into hours, ignoring those outside", () => {
    const start = Date.parse("2025-07-09T00:00:00Z")
    const counts = bucketHourly([start - 1, start, start + 10, start + HOUR_MS, start + 3 * HOUR_MS], start, 3)
    expect(Array.from(counts)).toEqual([2, 1, 0])
  })
})

describe("quantiles (type 7)", () => {
  it("interpolates linearly between order statistics, as numpy's default", () => {
    const xs = [1, 2, 3, 4, 10]
    expect(quantileSorted(xs, 0)).toBe(1)
    expect(quantileSorted(xs, 1)).toBe(10)
    expect(quantileSorted(xs, 0.5)).toBe(3)
    expect(quantileSorted(xs, 0.9)).toBeCloseTo(7.6, 12) // numpy.quantile([1,2,3,4,10], 0.9)
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError)
  })
})

describe("canonical instants", () => {
  const byDefinition = (s: string) => {
    const ms = parseInstant(s)
    return ms !== undefined && toIsoUtc(ms) === s
  }

  it("accepts exactly toIsoUtc's spellings; refuses rolled-over fields, other precisions, offsets and padding", () => {
    for (const ok of ["2025-01-15T00:00:00Z", "2025-01-15T13:45:12.345Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "2000-02-29T00:00:00Z", "0000-02-29T00:00:00Z"]) expect(isCanonicalInstant(ok)).toBe(true)
    for (const bad of ["2025-02-30T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-15T00:00:00.000Z", "2025-01-15T00:00:00.5Z", "2025-01-15T00:00Z", "2025-01-15", "2025-01-15T01:00:00+01:00", " 2025-01-15T00:00:00Z", "2025-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "0100-02-29T00:00:00Z", "2025-01-15T00:00:60Z"])
      expect([bad, isCanonicalInstant(bad)]).toEqual([bad, false])
  })

  it("agrees with toIsoUtc(parseInstant(s)) === s on instants (years 0000-9999 and the six-digit ones) and near misses", () => {
    const canonical = fc.oneof(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), fc.integer({ min: -8.64e15, max: 8.64e15 })).map(toIsoUtc)
    // Near misses: one character of a canonical spelling replaced by a digit or a separator.
    const mutated = fc.tuple(canonical, fc.nat(), fc.constantFrom(..."0123456789:-.TZ+ ")).map(([s, i, c]) => s.slice(0, i % s.length) + c + s.slice((i % s.length) + 1))
    fc.assert(fc.property(fc.oneof(canonical, mutated), (s) => isCanonicalInstant(s) === byDefinition(s)), { numRuns: 20_000 })
  })
})
