import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bracketIndex, bracketProbabilities, parseBrackets, type Bracket } from "../../../src/domain/forecast/brackets"

const ok = (text: string): ReadonlyArray<Bracket> => {
  const b = parseBrackets(text)
  if (typeof b === "string") throw new Error(b)
  return b
}

describe("parseBrackets", () => {
  it("reads A-B, <N and N+", () => {
    expect(ok("0-199,200-219,220-239,240+")).toEqual([
      { label: "0-199", lo: 0, hi: 199 },
      { label: "200-219", lo: 200, hi: 219 },
      { label: "220-239", lo: 220, hi: 239 },
      { label: "240+", lo: 240, hi: null }
    ])
    expect(ok(" <200 , 200 - 219 ,220+")).toEqual([
      { label: "0-199", lo: 0, hi: 199 },
      { label: "200-219", lo: 200, hi: 219 },
      { label: "220+", lo: 220, hi: null }
    ])
    expect(ok("0-0,1+")).toHaveLength(2)
  })

  it("refuses overlaps, gaps, reversed ranges and lists that do not cover every count, naming them", () => {
    const cases: Array<[string, RegExp]> = [
      ["0-199,150-219,220+", /0-199 and 150-219 overlap/],
      ["0-199,201-219,220+", /gap between 0-199 and 201-219 \(200-200 is in no bracket\)/],
      ["0-199,219-200,220+", /"219-200" is reversed \(219 > 200\)/],
      ["200-219,220+", /first bracket 200-219 must start at 0 \(add 0-199 or <200/],
      ["0-199,200-219", /last bracket 200-219 must be open \(e\.g\. 220\+\)/],
      ["0-199,200+,300+", /open bracket 200\+ must be the last one/],
      ["0-199,abc,200+", /"abc" is not A-B, <N or N\+/],
      ["0-199,,200+", /empty bracket/],
      ["100+", /at least two brackets/],
      ["0-1.5,2+", /is not A-B/],
      ["<0,0+", /is not <N with N >= 1/]
    ]
    for (const [text, why] of cases) {
      const r = parseBrackets(text)
      expect(typeof r, text).toBe("string")
      expect(r).toMatch(why)
      expect(r).toContain(`"${text}": `)
      expect((r as string).split("\n")).toHaveLength(1)
    }
  })
})

describe("bracket probabilities", () => {
  const brackets = ok("0-199,200-219,220-239,240+")

  it("count every path once: counts match a direct count and sum to the number of paths", () => {
    const totals = [0, 5, 199, 200, 219, 219.5, 219.99, 220, 239, 239.999, 240, 1000, -0.4]
    const p = bracketProbabilities(brackets, totals)
    // By hand: [0,200) ∪ (<0) → 0, 5, 199, -0.4; [200,220) → 200, 219, 219.5, 219.99; [220,240) → 220, 239, 239.999; [240,∞) → 240, 1000.
    expect(p.map((b) => b.count)).toEqual([4, 4, 3, 2])
    expect(p.reduce((s, b) => s + b.count, 0)).toBe(totals.length)
    p.forEach((b) => expect(b.probability).toBe(b.count / totals.length))
  })

  it("sum to 1 and agree with an independent interval count on random samples", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: -5, max: 600, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (widths, totals) => {
          let lo = 0
          const parts = widths.map((w) => {
            const s = `${lo}-${lo + w - 1}`
            lo += w
            return s
          })
          const bs = ok([...parts, `${lo}+`].join(","))
          const p = bracketProbabilities(bs, totals)
          expect(p.reduce((s, b) => s + b.count, 0)).toBe(totals.length)
          expect(Math.abs(p.reduce((s, b) => s + b.probability, 0) - 1)).toBeLessThan(1e-12)
          bs.forEach((b, i) => {
            const first = i === 0
            const inside = totals.filter((x) => (first || x >= b.lo) && (b.hi === null || x < b.hi + 1)).length
            expect(p[i]!.count).toBe(inside)
          })
        }
      ),
      { numRuns: 200 }
    )
  })

  it("bracketIndex puts integers where their labels say", () => {
    expect(bracketIndex(brackets, 199)).toBe(0)
    expect(bracketIndex(brackets, 200)).toBe(1)
    expect(bracketIndex(brackets, 5000)).toBe(3)
  })
})
