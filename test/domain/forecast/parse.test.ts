import { describe, expect, it } from "vitest"
import { formatHorizon, MAX_FORECAST_HOURS, parseHorizon, parseHorizonList, parseWindow } from "../../../src/domain/forecast/horizon"

const H = 3_600_000

describe("parseHorizonList", () => {
  it("reads comma-separated horizons and names the first bad one", () => {
    expect(parseHorizonList("24h,7d")).toEqual([24, 168])
    expect(parseHorizonList("7d")).toEqual([168])
    expect(parseHorizonList("24h,week")).toBe('"week" is not <hours>h or <days>d (e.g. 24h, 7d)')
  })
})

describe("parseHorizon", () => {
  it("reads hours and days", () => {
    expect(parseHorizon("24h")).toBe(24)
    expect(parseHorizon("7d")).toBe(168)
    expect(parseHorizon("36h")).toBe(36)
    expect(parseHorizon("3D")).toBe(72)
    expect(parseHorizon(" 1h ")).toBe(1)
    expect(parseHorizon("60d")).toBe(MAX_FORECAST_HOURS)
  })

  it("calls a horizon too large for a number too long, not too short", () => {
    expect(parseHorizon("99999999999999999999h")).toMatch(/longer than the maximum of 60 days/)
    expect(parseHorizon("0h")).toMatch(/at least 1 hour/)
  })

  it("refuses malformed and out-of-range horizons with a line naming the value", () => {
    for (const bad of ["", "7", "h", "1.5d", "-1h", "7w", "24 hours", "7d2h"]) {
      const r = parseHorizon(bad)
      expect(typeof r).toBe("string")
      expect(r).toContain(`"${bad}"`)
      expect(r as string).not.toContain("\n")
    }
    expect(parseHorizon("0h")).toMatch(/at least 1 hour/)
    expect(parseHorizon("61d")).toMatch(/longer than the maximum of 60 days/)
    expect(parseHorizon("99999999999999999999h")).toMatch(/longer than the maximum|at least/)
  })

  it("formats back", () => {
    expect(formatHorizon(24)).toBe("24h")
    expect(formatHorizon(36)).toBe("36h")
    expect(formatHorizon(168)).toBe("7d")
    expect(parseHorizon(formatHorizon(168))).toBe(168)
  })
})

describe("parseWindow", () => {
  it("reads START/END with offsets (a noon-to-noon Eastern week)", () => {
    const w = parseWindow("2025-12-05T12:00:00-05:00/2025-12-12T12:00:00-05:00")
    expect(w).toEqual({ start: Date.parse("2025-12-05T17:00:00Z"), end: Date.parse("2025-12-12T17:00:00Z") })
    expect(parseWindow("2025-12-05T17:00Z/2025-12-06")).toEqual({ start: Date.parse("2025-12-05T17:00:00Z"), end: Date.parse("2025-12-06T00:00:00Z") })
  })

  it("refuses malformed windows with one line naming the bad part", () => {
    expect(parseWindow("2025-12-05T12:00:00-05:00")).toMatch(/is not START\/END/)
    expect(parseWindow("a/b/c")).toMatch(/is not START\/END/)
    expect(parseWindow("yesterday/2025-12-06")).toMatch(/start "yesterday" is not an ISO 8601 instant/)
    expect(parseWindow("2025-12-05/tomorrow")).toMatch(/end "tomorrow" is not an ISO 8601 instant/)
    expect(parseWindow("2025-12-05T12:00:00/2025-12-06T12:00:00Z")).toMatch(/start .* is not an ISO 8601 instant with an offset/)
    expect(parseWindow("2025-12-05T12:00:00+05:30/2025-12-06T12:00:00Z")).toMatch(/not on a UTC hour/)
    expect(parseWindow("2025-12-05T12:00:00Z/2025-12-06T12:30:00Z")).toMatch(/end .* is not on a UTC hour/)
    expect(parseWindow("2025-12-06T00:00:00Z/2025-12-05T00:00:00Z")).toMatch(/is not after the start/)
    expect(parseWindow("2025-12-05T00:00:00Z/2025-12-05T00:00:00Z")).toMatch(/is not after the start/)
    expect(parseWindow("2025-01-01/2025-04-01")).toMatch(/longer than the maximum/)
    for (const bad of ["x", "a/b"]) expect((parseWindow(bad) as string).split("\n")).toHaveLength(1)
  })

  it("accepts exactly the longest window", () => {
    const start = Date.parse("2025-01-01T00:00:00Z")
    const w = parseWindow(`2025-01-01T00:00:00Z/${new Date(start + MAX_FORECAST_HOURS * H).toISOString()}`)
    expect(w).toEqual({ start, end: start + MAX_FORECAST_HOURS * H })
  })
})
