import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compareTweetIds, createdAtProblem, isTweetId, maxTweetId, nextCursor, snowflakeIdAt, snowflakeTimeMs, tweetIdProblem } from "../../../src/domain/ingestion/tweet-id"
import { loadSharedTweetTimes } from "../../support/shared-data"
import { readFileSync } from "node:fs"
import { SHARED_CSV } from "../../support/shared-data"

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

describe("canonical ids and instants", () => {
  it("one spelling per id: no leading zero, no zero, at most 2^63 - 1", () => {
    expect(tweetIdProblem("42")).toBeUndefined()
    expect(tweetIdProblem("9223372036854775807")).toBeUndefined()
    expect(tweetIdProblem("0000000000000000042")).toMatch(/leading zero \(write it as 42\)/)
    expect(tweetIdProblem("0")).toMatch(/not an X id/)
    expect(tweetIdProblem("9223372036854775808")).toMatch(/64-bit maximum/)
    expect(tweetIdProblem("12345678901234567890")).toMatch(/1 to 19 digits/)
  })

  it("created_at agrees with the Snowflake time, is not in the future, and reposts may be later than their id", () => {
    const t = Date.parse("2025-06-01T12:00:00Z")
    const id = snowflakeIdAt(t)
    const now = t + 86_400_000
    expect(createdAtProblem(id, t + 119_000, now)).toBeUndefined()
    expect(createdAtProblem(id, t + 121_000, now)).toMatch(/disagrees/)
    expect(createdAtProblem(id, t - 121_000, now)).toMatch(/disagrees/)
    expect(createdAtProblem(id, t + 3_600_000, now, "retweet")).toBeUndefined()
    expect(createdAtProblem(id, t - 3_600_000, now, "retweet")).toMatch(/disagrees/)
    expect(createdAtProblem(id, t, t - 1)).toMatch(/after the tweet was observed/)
    expect(createdAtProblem("20", Date.UTC(2006, 2, 21, 20), now)).toBeUndefined()
    expect(createdAtProblem("20", Date.UTC(2025, 0, 1), now)).toMatch(/sequential/)
    expect(createdAtProblem("20", Date.UTC(1, 0, 1), now)).toMatch(/before the first tweet/)
  })

  it("every row of the shared archive passes the rules", () => {
    const lines = readFileSync(SHARED_CSV, "utf8").split("\n").slice(1).filter((l) => l.length > 0)
    const problems = lines.flatMap((l) => {
      const [id, created, kind] = l.split(",")
      return [tweetIdProblem(id!), createdAtProblem(id!, Date.parse(created!), Date.UTC(2026, 0, 1), kind)].filter((p) => p !== undefined)
    })
    expect(problems).toEqual([])
    expect(lines.length).toBe(loadSharedTweetTimes().length)
  })
})
