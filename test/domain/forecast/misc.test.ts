import { describe, expect, it } from "vitest"
import { deepDiff, formatDifference } from "../../../src/domain/forecast/diff"
import { renderFanChart } from "../../../src/domain/forecast/fan-chart"
import { canonicalJson, hashInputs, hashJson } from "../../../src/domain/forecast/hash"

const H = 3_600_000

describe("deepDiff", () => {
  it("finds every differing leaf and nothing else", () => {
    const a = { x: 1, y: [1, 2, { z: "a" }], w: { v: 0.1 + 0.2 } }
    expect(deepDiff(a, JSON.parse(JSON.stringify(a)))).toEqual([])
    const b = { x: 1, y: [1, 3, { z: "b" }, 4], w: { v: 0.3 }, extra: true }
    const d = deepDiff(a, b)
    expect(d.map((x) => x.path)).toEqual(["extra", "w.v", "y.length", "y[1]", "y[2].z"])
    expect(formatDifference(d[1]!)).toBe("w.v: recorded 0.30000000000000004, reproduced 0.3")
    expect(formatDifference(d[0]!)).toBe("extra: recorded (absent), reproduced true")
  })
})

describe("hashes", () => {
  it("change with any input value and ignore key order", () => {
    const inputs = { origin: 10 * H, hourly: { start: 0, counts: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) }, eventTimes: Float64Array.from([1, 2]) }
    const h = hashInputs(inputs)
    expect(h).toMatch(/^[0-9a-f]{16}$/)
    expect(hashInputs({ ...inputs, hourly: { start: 0, counts: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 11]) } })).not.toBe(h)
    expect(hashInputs({ ...inputs, eventTimes: Float64Array.from([1, 3]) })).not.toBe(h)
    expect(hashInputs({ ...inputs, exogenous: new Float64Array(10) })).not.toBe(h)
    expect(hashInputs(JSON.parse(JSON.stringify({ ...inputs, hourly: { start: 0, counts: [...inputs.hourly.counts] }, eventTimes: [1, 2] })))).toBe(h)
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}')
    expect(hashJson({ b: 1, a: 2 })).toBe(hashJson({ a: 2, b: 1 }))
    expect(hashJson({ a: 1 })).not.toBe(hashJson({ a: 2 }))
  })
})

describe("renderFanChart", () => {
  it("draws the median inside the band, one column per hour, with day marks", () => {
    const start = Date.parse("2025-12-10T20:00:00Z")
    const q10 = [0, 0, 2, 4, 6, 8]
    const q50 = [1, 2, 4, 6, 8, 10]
    const q90 = [3, 5, 8, 12, 16, 20]
    const out = renderFanChart({ start, q10, q50, q90 }, { height: 10 })
    const lines = out.split("\n")
    expect(lines).toHaveLength(10 + 3)
    expect(lines[0]).toMatch(/^20 \|/)
    expect(lines[9]).toMatch(/^ 0 \|/)
    // Column 5 (last hour), 10 rows, levels 20·k/9: q50 = 10 -> level round(4.5) = 5, row 4; band from q90 = 20
    // (level 9, row 0) to q10 = 8 (level round(3.6) = 4, row 5).
    const col = (r: number) => lines[r]!.slice(4)[5] ?? " "
    expect(col(4)).toBe("*")
    expect([0, 1, 2, 3, 5].map(col).join("")).toBe(":::::")
    expect(col(6)).toBe(" ")
    // The UTC day starts at hour 4 of the window (00:00 of 12-11).
    expect(lines[11]!.indexOf("12-11")).toBe(4 + 4)
    expect(out).not.toMatch(/[^\x20-\x7e\n]/)
  })

  it("groups hours when the window is wider than the chart", () => {
    const n = 24 * 14
    const ones = new Array<number>(n).fill(1)
    const out = renderFanChart({ start: 0, q10: ones, q50: ones, q90: ones }, { width: 56 })
    expect(out).toContain("one column = 6 hours")
    // Labels "1", "0.5", "0" (3 wide) + " |" + 56 columns.
    expect(out.split("\n")[0]!.length).toBeLessThanOrEqual(3 + 2 + 56)
  })
})
