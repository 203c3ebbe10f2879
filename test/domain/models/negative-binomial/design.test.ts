import { describe, expect, it } from "vitest"
import { buildNbDesign, designColumns, NB_BASE_COLUMNS, WARMUP_HOURS } from "../../../../src/domain/models/negative-binomial/index"
import { HourCursor } from "../../../../src/domain/models/negative-binomial/design"
import { dayOfWeek, HOUR_MS, hourOfDay, toIsoUtc } from "../../../../src/domain/time"
import { loadReference } from "./helpers"

const ref = loadReference()

describe("NB2 hourly design", () => {
  it("has exactly the reference's 32 column names, in order", () => {
    expect([...NB_BASE_COLUMNS]).toEqual(ref.data.columns)
    expect(designColumns(true).slice(0, 32)).toEqual(ref.data.columns)
    expect(designColumns(true)[32]).toBe("exo_intensity")
  })

  it("rebuilds the reference X from counts_prior_168h and y (168 h warm-up): dummies exactly, lag features to 1 ulp", () => {
    const counts = Float64Array.from([...ref.data.counts_prior_168h, ...ref.data.y])
    const first = Date.parse(ref.data.timestamps_utc[0]!)
    const start = first - WARMUP_HOURS * HOUR_MS
    const d = buildNbDesign({ start, counts })
    expect(d.n).toBe(672)
    expect(d.p).toBe(32)
    expect(d.start).toBe(first)
    expect(Array.from(d.y)).toEqual(ref.data.y)
    for (let r = 0; r < d.n; r += 97) expect(toIsoUtc(d.start + r * HOUR_MS)).toBe(ref.data.timestamps_utc[r])
    for (let r = 0; r < d.n; r++) {
      const row = ref.data.X[r]!
      // const, hour and day dummies: bit for bit.
      expect(Array.from(d.X.subarray(r * 32, r * 32 + 30))).toEqual(row.slice(0, 30))
      // The window sums are exact integers on both sides; only log1p's last bit can differ. The reference's
      // log1p (numpy 1.24) is not correctly rounded: against a 200-bit log1p, 289 of its 1,344 lag values are
      // 1 ulp off, and no IEEE log1p (V8's, glibc's, numpy 2's) reproduces all of them. So: at most 1 ulp.
      for (const c of [30, 31]) {
        const ulp = 2 ** (Math.floor(Math.log2(Math.abs(row[c]!))) - 52)
        expect(Math.abs(d.X[r * 32 + c]! - row[c]!)).toBeLessThanOrEqual(ulp)
      }
    }
  })

  it("models only the last `rows` hours when asked, with the same rows as the full design", () => {
    const counts = Float64Array.from([...ref.data.counts_prior_168h, ...ref.data.y])
    const start = Date.parse(ref.data.timestamps_utc[0]!) - WARMUP_HOURS * HOUR_MS
    const full = buildNbDesign({ start, counts })
    const last = buildNbDesign({ start, counts }, { rows: 100 })
    expect(last.n).toBe(100)
    expect(last.start).toBe(full.start + 572 * HOUR_MS)
    expect(Array.from(last.X)).toEqual(Array.from(full.X.subarray(572 * 32)))
    // Asking for more rows than the window holds gives every hour after the warm-up.
    expect(buildNbDesign({ start, counts }, { rows: 10_000 }).n).toBe(672)
  })

  it("appends the exogenous intensity aligned with hourly.start (missing hours = 0)", () => {
    const counts = new Float64Array(200).fill(1)
    const exogenous = new Float64Array(190)
    exogenous[170] = 0.5
    const d = buildNbDesign({ start: Date.UTC(2025, 0, 6), counts }, { exogenous })
    expect(d.p).toBe(33)
    expect(d.n).toBe(32)
    expect(d.X[(170 - 168) * 33 + 32]).toBe(0.5)
    expect(d.X[(195 - 168) * 33 + 32]).toBe(0) // past the array's end
    // Constant history: sum over 24 h = 24, mean over 168 h = 1.
    expect(d.X[30]).toBe(Math.log1p(24))
    expect(d.X[31]).toBe(Math.log1p(1))
  })

  it("the hour cursor agrees with time.ts hour by hour across weeks and a year end", () => {
    const t0 = Date.UTC(2024, 11, 28, 17)
    const cal = new HourCursor(t0)
    for (let h = 0; h < 24 * 20; h++, cal.next()) {
      expect(cal.hour).toBe(hourOfDay(t0 + h * HOUR_MS))
      expect(cal.dow).toBe(dayOfWeek(t0 + h * HOUR_MS))
    }
  })

  it("rejects a window without room for the warm-up", () => {
    expect(() => buildNbDesign({ start: 0, counts: new Float64Array(168) })).toThrow(/168/)
  })
})
