import { describe, expect, it } from "vitest"
import { demoBrackets, recentWeekTotals } from "../../../src/domain/demo/brackets"
import { parseBrackets } from "../../../src/domain/forecast/brackets"

describe("demo brackets", () => {
  it("are contiguous equal-width ranges around the recent median, open at both ends, and parse as brackets", () => {
    const text = demoBrackets([300, 420, 380, 350])
    // median 380 (upper middle of 4), width 10% rounded to 40, lowest edge floor((380 - 3·40)/40)·40 = 240
    expect(text).toBe("0-239,240-279,280-319,320-359,360-399,400-439,440-479,480+")
    expect(typeof parseBrackets(text)).not.toBe("string")
    expect(typeof parseBrackets(demoBrackets([]))).not.toBe("string")
    expect(typeof parseBrackets(demoBrackets([12, 9, 15]))).not.toBe("string")
  })
})

describe("recent week totals", () => {
  it("count the posts of each seven-day span ending at now, most recent first, ignoring later and older posts", () => {
    const now = Date.UTC(2026, 11, 4, 17)
    const day = 86_400_000
    const at = [now - 1, now - 6.9 * day, now - 7 * day, now - 20 * day, now - 27.9 * day, now - 28 * day, now + 1, now]
    // span k: posts more than k and at most k+1 weeks before now (now-7d exactly is in the second, now-28d in none); now and later excluded
    expect(recentWeekTotals(at, now)).toEqual([2, 1, 1, 1])
  })
})
