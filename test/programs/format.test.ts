/** The table renderer as a terminal shows it: escape codes take no column; colour only on a TTY without NO_COLOR. */
import { describe, expect, it } from "vitest"
import { columnWidths, counted, renderTable, useColour, visibleLength } from "../../src/programs/cli/format"

const bold = (s: string) => `\x1b[1m${s}\x1b[0m`

describe("renderTable", () => {
  it("aligns columns by visible width, bold cells included, numbers to the right", () => {
    const out = renderTable(["model", "crps_week", "skill"], [["hawkes", bold("73.72"), "1.8%"], ["negative_binomial", "75.84", "-1.0%"]])
    const lines = out.split("\n")
    expect(new Set(lines.map(visibleLength)).size).toBe(1) // every line equally wide on screen
    expect(lines[0]).toBe("model              crps_week  skill")
    expect(lines[2]).toBe(`hawkes                 ${bold("73.72")}   1.8%`)
    expect(lines[3]).toBe("negative_binomial      75.84  -1.0%")
  })

  it("colour only on a terminal, and never with NO_COLOR", () => {
    expect(useColour({ isTTY: true }, {})).toBe(true)
    expect(useColour({ isTTY: false }, {})).toBe(false)
    expect(useColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
  })
})

describe("counted", () => {
  it("puts a noun in the plural unless the count is 1", () => {
    expect([0, 1, 2, 70_233].map((n) => counted(n, "new tweet"))).toEqual(["0 new tweets", "1 new tweet", "2 new tweets", "70233 new tweets"])
  })
})

describe("tables of many rows", () => {
  it("a table of 300,000 rows renders (a spread of that many widths into Math.max overflows the stack)", () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`2025-01-01T${String(i % 24).padStart(2, "0")}:00:00Z`, i % 7 === 0 ? 12345 : 7])
    const lines = renderTable(["bucket_start", "count"], rows).split("\n")
    expect(lines).toHaveLength(300_002)
    expect(lines[0]).toBe("bucket_start          count")
    expect(lines[2]).toBe("2025-01-01T00:00:00Z  12345")
    expect(lines[3]).toBe("2025-01-01T01:00:00Z      7")
    expect(columnWidths(["a", "bb"], [["xyz", "1"]])).toEqual([3, 2])
  })
})
