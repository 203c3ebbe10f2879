import { describe, expect, it } from "vitest"
import { UnknownAccount } from "../../src/programs/accounts/known"

describe("UnknownAccount", () => {
  it("names the known accounts, at most ten of them, or says the store is empty", () => {
    expect(new UnknownAccount({ account: "typo", known: ["a", "b"] }).message).toBe(
      "the store knows no account @typo (no tweet, ingest run or curated event of it); accounts in the store: @a, @b"
    )
    const many = Array.from({ length: 12 }, (_, i) => `acct_${String(i).padStart(2, "0")}`)
    expect(new UnknownAccount({ account: "typo", known: many }).message).toMatch(/: @acct_00, .*, @acct_09 and 2 more \(musktracker accounts list\)$/)
    expect(new UnknownAccount({ account: "elonmusk", known: [] }).message).toBe(
      "the store holds no tweets yet, of @elonmusk or any account: run `musktracker import FILE` or `musktracker ingest` first"
    )
  })
})
