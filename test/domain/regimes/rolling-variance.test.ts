import { describe, expect, it } from "vitest"
import { normalCdf, rollingVariance } from "../../../src/domain/regimes/rolling-variance"
import type { DailySeries } from "../../../src/domain/regimes/daily"
import { Rng } from "../../../src/domain/random"
import { DAY_MS } from "../../../src/domain/time"

const START = Date.parse("2024-01-01T00:00:00Z")
const series = (counts: number[]): DailySeries => ({ start: START, counts: Float64Array.from(counts) })

describe("rolling-variance detector", () => {
  it("hand-computed z and detection (W = 4, m = 2)", () => {
    // t = 5: reference days 0..3 = {10,12,8,10}: mean 10, sd = sqrt(8/3); candidate days 4..5 mean 21
    // z = 11 / (sqrt(8/3)/sqrt(2)) = 9.526
    const r = rollingVariance(series([10, 12, 8, 10, 20, 22]), { referenceDays: 4, sustainDays: 2, k: 4, transform: "identity" })
    expect(r.trace.slice(0, 5).every((s) => s.z === null)).toBe(true)
    expect(r.trace[5]!.z).toBeCloseTo(11 / (Math.sqrt(8 / 3) / Math.sqrt(2)), 12)
    expect(r.detections).toHaveLength(1)
    const d = r.detections[0]!
    expect(d.dayStart).toBe(START + 4 * DAY_MS)
    expect(d.detectedAt).toBe(START + 6 * DAY_MS)
    expect(d.levelBefore).toBe(10)
    expect(d.levelAfter).toBe(21)
    expect(d.runLength).toBeNull()
  })

  it("log1p transform changes the scale of z", () => {
    const xs = [10, 12, 8, 10, 20, 22]
    const ys = xs.map(Math.log1p)
    const mu = (ys[0]! + ys[1]! + ys[2]! + ys[3]!) / 4
    const sd = Math.sqrt(ys.slice(0, 4).reduce((s, y) => s + (y - mu) ** 2, 0) / 3)
    const z = ((ys[4]! + ys[5]!) / 2 - mu) / (sd / Math.SQRT2)
    expect(rollingVariance(series(xs), { referenceDays: 4, sustainDays: 2, transform: "log1p" }).trace[5]!.z).toBeCloseTo(z, 12)
  })

  it("normal CDF", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6)
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6)
  })

  it("finds a known level shift once, and refills its reference before testing again", () => {
    const rng = Rng.seeded(42)
    const xs = [...Array.from({ length: 120 }, () => rng.poisson(20)), ...Array.from({ length: 120 }, () => rng.poisson(40))]
    const r = rollingVariance(series(xs))
    expect(r.detections).toHaveLength(1)
    const start = (r.detections[0]!.dayStart - START) / DAY_MS
    // the candidate window opens at most m − 1 = 6 days before the change and the first post-change day is its last
    expect(start).toBeGreaterThanOrEqual(114)
    expect(start).toBeLessThanOrEqual(120)
    // after the detection the reference restarts at dayStart: no z for W + m − 1 days
    const t0 = (r.detections[0]!.detectedAt - START) / DAY_MS
    for (let t = t0; t < start + 28 + 7 - 1; t++) expect(r.trace[t]!.z).toBeNull()
  })

  it("is online: the trace up to a day does not depend on later days", () => {
    const xs = Array.from({ length: 200 }, (_, i) => 30 + ((i * 7) % 11))
    const a = rollingVariance(series(xs))
    const b = rollingVariance(series([...xs.slice(0, 150), ...Array.from({ length: 50 }, () => 900)]))
    expect(b.trace.slice(0, 150)).toEqual(a.trace.slice(0, 150))
    expect(b.detections.some((d) => d.detectedAt > START + 150 * DAY_MS)).toBe(true)
  })
})
