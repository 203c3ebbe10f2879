import { describe, expect, it } from "vitest"
import { dailyCountsFromInstants, dailyFromHourly, meanOfDays } from "../../../src/domain/regimes/daily"

const D0 = Date.parse("2025-01-01T00:00:00Z")
const H = 3_600_000

describe("daily series", () => {
  it("buckets instants into UTC days, ignoring those outside", () => {
    const s = dailyCountsFromInstants([D0 - 1, D0, D0 + 23 * H + 59 * 60_000, D0 + 24 * H, D0 + 72 * H], D0, 3)
    expect(Array.from(s.counts)).toEqual([2, 1, 0])
    expect(() => dailyCountsFromInstants([], D0 + H, 1)).toThrow(RangeError)
  })

  it("sums hourly counts per day and drops a trailing partial day", () => {
    const hourly = Array.from({ length: 60 }, (_, h) => (h < 24 ? 1 : 2))
    expect(Array.from(dailyFromHourly(D0, hourly).counts)).toEqual([24, 48])
  })

  it("meanOfDays clamps at 0 and is NaN when empty", () => {
    expect(meanOfDays([2, 4, 6], -3, 2)).toBe(3)
    expect(meanOfDays([2, 4, 6], 2, 2)).toBeNaN()
  })
})
