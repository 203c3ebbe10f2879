import { describe, expect, it } from "vitest"
import { classifyKind } from "../../../src/domain/ingestion/kind"

describe("classifyKind", () => {
  it("maps each reference type to its kind", () => {
    expect(classifyKind(undefined)).toBe("post")
    expect(classifyKind([])).toBe("post")
    expect(classifyKind([{ type: "retweeted", id: "1" }])).toBe("retweet")
    expect(classifyKind([{ type: "quoted", id: "1" }])).toBe("quote")
    expect(classifyKind([{ type: "replied_to", id: "1" }])).toBe("reply")
  })
  it("precedence: retweet > quote > reply, whatever the order", () => {
    expect(classifyKind([{ type: "replied_to", id: "1" }, { type: "quoted", id: "2" }])).toBe("quote")
    expect(classifyKind([{ type: "quoted", id: "2" }, { type: "replied_to", id: "1" }])).toBe("quote")
    expect(classifyKind([{ type: "quoted", id: "2" }, { type: "retweeted", id: "3" }])).toBe("retweet")
    expect(classifyKind([{ type: "replied_to", id: "1" }, { type: "retweeted", id: "3" }])).toBe("retweet")
  })
  it("ignores unknown reference types", () => {
    expect(classifyKind([{ type: "mentioned", id: "1" }])).toBe("post")
    expect(classifyKind([{ type: "mentioned", id: "1" }, { type: "replied_to", id: "2" }])).toBe("reply")
  })
})
