import { describe, expect, it } from "vitest"
import { countRange, parseCountKinds } from "../../../src/domain/counts/query"

const at = (iso: string) => Date.parse(iso)

describe("count queries", () => {
  it("kinds: all, no-replies, a list, or why not", () => {
    expect(parseCountKinds("all")).toEqual(["post", "reply", "quote", "retweet"])
    expect(parseCountKinds("no-replies")).toEqual(["post", "quote", "retweet"])
    expect(parseCountKinds("post, quote")).toEqual(["post", "quote"])
    expect(parseCountKinds("post,likes")).toBe('"post,likes": "likes" is not all, no-replies, or a list of post, reply, quote, retweet')
  })

  it("the default range ends with the newest tweet's bucket and reaches back 7 days (hourly) or 90 (daily)", () => {
    const last = at("2025-12-31T13:20:00Z")
    expect(countRange("hour", {}, last, 0)).toEqual({ from: at("2025-12-24T14:00:00Z"), to: at("2025-12-31T14:00:00Z") })
    expect(countRange("day", {}, last, 0)).toEqual({ from: at("2025-10-03T00:00:00Z"), to: at("2026-01-01T00:00:00Z") })
    // Without tweets, the current bucket; given bounds are kept as they are.
    expect(countRange("hour", {}, undefined, at("2026-01-02T05:30:00Z")).to).toBe(at("2026-01-02T06:00:00Z"))
    expect(countRange("day", { from: 1, to: 2 }, last, 0)).toEqual({ from: 1, to: 2 })
    expect(countRange("day", { to: at("2025-12-01T00:00:00Z") }, last, 0).from).toBe(at("2025-09-02T00:00:00Z"))
  })
})
