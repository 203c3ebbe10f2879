import { describe, expect, it } from "vitest"
import { parseAccount, parseAccountList } from "../../../src/domain/accounts/account"

describe("account names", () => {
  it("normalise a handle (case, @, spaces) and refuse what X would not allow", () => {
    expect(parseAccount(" @ElonMusk ")).toEqual({ account: "elonmusk" })
    expect(parseAccount("bad-dash")).toEqual({ problem: '"bad-dash" is not an X handle (1–15 letters, digits or underscores, with or without @)' })
    expect("problem" in parseAccount("sixteen_chars_xx")).toBe(true)
    expect("problem" in parseAccount("@")).toBe(true)
  })

  it("read a comma-separated list without repeats, and name an empty entry as such", () => {
    expect(parseAccountList("a, @B ,a")).toEqual({ accounts: ["a", "b"] })
    expect(parseAccountList(" , ")).toEqual({ problem: "names no account" })
    expect(parseAccountList("a,,b")).toEqual({ problem: '"a,,b" has an empty name (a comma too many)' })
    expect(parseAccountList("a,b,")).toEqual({ problem: '"a,b," has an empty name (a comma too many)' })
    expect(parseAccountList("a,b c")).toEqual({ problem: '"b c" is not an X handle (1–15 letters, digits or underscores, with or without @)' })
  })
})
