import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compareTweetIds, isTweetId, maxTweetId, nextCursor, snowflakeIdAt, snowflakeTimeMs } from "../../../src/domain/ingestion/tweet-id"

describe("tweet ids", () => {
  it("compares by numeric value, not as strings or doubles", () => {
    expect(compareTweetIds("999", "1000")).toBe(-1) // a string compare says the opposite
    // differ only beyond 2^53: equal as doubles
    expect(Number("1587442891894538241") === Number("1587442891894538240")).toBe(true)
    expect(compareTweetIds("1587442891894538241", "1587442891894538240")).toBe(1)
    expect(compareTweetIds("42", "42")).toBe(0)
  })
  it("the cursor is the largest id seen and never moves back", () => {
    expect(nextCursor(undefined, [])).toBeUndefined()
    expect(nextCursor(undefined, ["5", "1000", "999"])).toBe("1000")
    expect(nextCursor("2000", ["5", "1000"])).toBe("2000")
    expect(maxTweetId("1587442891894538240", ["1587442891894538241"])).toBe("1587442891894538241")
  })
  it("property: the cursor is an upper bound of every id and one of them", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), { minLength: 1, maxLength: 30 }), (xs) => {
        const ids = xs.map(String)
        const c = nextCursor(undefined, ids)!
        expect(ids).toContain(c)
        for (const id of ids) expect(BigInt(id) <= BigInt(c)).toBe(true)
      })
    )
  })
  it("decodes the creation time of a real @elonmusk id (the shared CSV's first row)", () => {
    expect(new Date(snowflakeTimeMs("1587442891894538240")).toISOString()).toBe("2022-11-01T13:54:13.347Z")
  })
  it("snowflakeIdAt inverts snowflakeTimeMs and orders ids by time", () => {
    const t = Date.parse("2025-07-07T00:00:00.123Z")
    const a = snowflakeIdAt(t, 7)
    expect(snowflakeTimeMs(a)).toBe(t)
    expect(compareTweetIds(snowflakeIdAt(t + 1), a)).toBe(1)
    expect(isTweetId(a)).toBe(true)
    expect(() => snowflakeIdAt(0)).toThrow(RangeError)
  })
  it("validates ids", () => {
    expect(isTweetId("123")).toBe(true)
    expect(isTweetId("")).toBe(false)
    expect(isTweetId("12a")).toBe(false)
    expect(isTweetId("12345678901234567890")).toBe(false)
  })
})
