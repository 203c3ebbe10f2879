import { describe, expect, it } from "vitest"
import { Either } from "effect"
import { curatedFromInput } from "../../../src/domain/exogenous/decider"
import { parseCsvRecords, parseImportFile } from "../../../src/domain/exogenous/import-file"

describe("parseImportFile", () => {
  it("reads CSV with quoted names (commas, quotes, newlines), optional columns and ;-separated tags", () => {
    const text = [
      "name,start,end,intensity,known_at,kind,tags",
      '"Tesla Q4 Earnings, call",2025-01-15T00:00:00Z,2025-01-15T23:59:59Z,0.8,2025-01-02T00:00:00Z,scheduled,tesla;earnings',
      '"He said ""hi""",2025-02-01T00:00:00Z,2025-02-01T01:00:00Z,0.3,,,',
      '"two',
      'lines",2025-03-01T00:00:00Z,2025-03-01T01:00:00Z,1,,unscheduled,x',
      ""
    ].join("\r\n")
    const r = parseImportFile(text)
    if (!r.ok) throw new Error(r.errors.join("; "))
    expect(r.rows.map((x) => x.where)).toEqual(["line 2", "line 3", "line 4"])
    expect(r.rows[0]!.input).toEqual({
      name: "Tesla Q4 Earnings, call",
      start: "2025-01-15T00:00:00Z",
      end: "2025-01-15T23:59:59Z",
      intensity: "0.8",
      knownAt: "2025-01-02T00:00:00Z",
      kind: "scheduled",
      tags: ["tesla", "earnings"]
    })
    expect(r.rows[1]!.input).toEqual({ name: 'He said "hi"', start: "2025-02-01T00:00:00Z", end: "2025-02-01T01:00:00Z", intensity: "0.3", tags: [] })
    expect(r.rows[2]!.input.name).toBe("two\r\nlines")
  })

  it("reads JSON arrays and {events: [...]}", () => {
    const one = { name: "A", start: "2025-01-01T00:00:00Z", end: "2025-01-01T00:00:00Z", intensity: 0.5, known_at: "2025-01-01T00:00:00Z", tags: "a;b" }
    for (const text of [JSON.stringify([one]), JSON.stringify({ events: [one] })]) {
      const r = parseImportFile(text)
      if (!r.ok) throw new Error(r.errors.join("; "))
      expect(r.rows[0]!.input).toMatchObject({ name: "A", intensity: 0.5, knownAt: "2025-01-01T00:00:00Z", tags: ["a", "b"] })
      expect(r.rows[0]!.where).toBe("event 1")
    }
  })

  it("an account column scopes a row to one account; an empty cell or no column leaves it global", () => {
    const text = ["name,start,end,intensity,account", "Launch,2025-01-15T00:00:00Z,2025-01-15T01:00:00Z,0.5,@SpaceX", "Global,2025-01-16T00:00:00Z,2025-01-16T01:00:00Z,0.4,", ""].join("\n")
    const r = parseImportFile(text)
    if (!r.ok) throw new Error(r.errors.join("; "))
    expect(r.rows.map((x) => x.input.account)).toEqual(["@SpaceX", undefined])
    const json = parseImportFile(JSON.stringify([{ name: "A", start: "2025-01-01T00:00:00Z", end: "2025-01-01T00:00:00Z", intensity: 0.5, account: 7 }]))
    expect(json).toEqual({ ok: false, errors: ["event 1: account must be a string"] })
    // The decider normalises the handle and refuses a malformed one (tested in decider.test.ts).
    const curated = curatedFromInput(r.rows[0]!.input, Date.parse("2025-02-01T00:00:00Z"))
    expect(Either.isRight(curated) && curated.right.account).toBe("spacex")
    const bad = curatedFromInput({ ...r.rows[0]!.input, account: "not a handle" }, Date.parse("2025-02-01T00:00:00Z"))
    expect(Either.isLeft(bad) && bad.left.message).toMatch(/account.*"not a handle" is not an X handle/)
  })

  it("names the line or item of every problem", () => {
    const csv = parseImportFile("name,start,end,intensity\nA,2025-01-01T00:00:00Z,2025-01-01T01:00:00Z\n,2025-01-01T00:00:00Z,2025-01-01T01:00:00Z,0.1\n")
    expect(csv).toEqual({ ok: false, errors: ["line 2: 3 fields, the header has 4", "line 3: name is required (a string)"] })
    expect(parseImportFile("name,start,end,strength\n")).toMatchObject({ ok: false, errors: [expect.stringMatching(/unknown column "strength"/)] })
    expect(parseImportFile("name,start,intensity\n")).toMatchObject({ ok: false, errors: [expect.stringMatching(/must name the column end/)] })
    expect(parseImportFile('[{"name":"A","start":"x","end":"y","intensity":0.1,"colour":"red"}, 3]')).toEqual({
      ok: false,
      errors: ['event 1: unknown field "colour"', "event 2: not an object"]
    })
    expect(parseImportFile("[1,")).toMatchObject({ ok: false, errors: [expect.stringMatching(/not valid JSON/)] })
    expect(parseImportFile("  ")).toEqual({ ok: false, errors: ["the file is empty"] })
    expect(parseCsvRecords('a,"b\nc')).toBe("line 1: unterminated quoted field")
  })
})
