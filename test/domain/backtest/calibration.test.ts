/** PIT quantile mapping: what past errors do to a forecast, and what they must not do. */
import { describe, expect, it } from "vitest"
import { CALIBRATION_MIN_WINDOWS, pitQuantileFunction, recalibrateSorted } from "../../../src/domain/backtest/calibration"
import { quantileSorted } from "../../../src/domain/stats/quantile"

const raw = Float64Array.from({ length: 1000 }, (_, i) => 100 + i) // uniform on 100..1099

describe("calibration by PIT quantile mapping", () => {
  it("G⁻¹ passes through the plotting positions i/(m+1) and is monotone", () => {
    const g = pitQuantileFunction([0.9, 0.1, 0.5])
    expect(g(0)).toBe(0)
    expect(g(1)).toBe(1)
    expect(g(0.25)).toBeCloseTo(0.1, 12)
    expect(g(0.5)).toBeCloseTo(0.5, 12)
    expect(g(0.75)).toBeCloseTo(0.9, 12)
    let prev = -1
    for (let p = 0; p <= 1; p += 0.01) {
      expect(g(p)).toBeGreaterThanOrEqual(prev)
      prev = g(p)
    }
  })

  it("leaves a forecast whose past PITs were uniform almost unchanged", () => {
    const pits = Array.from({ length: 40 }, (_, i) => (i + 0.5) / 40)
    const cal = recalibrateSorted(raw, pits)
    for (const q of [0.1, 0.5, 0.9]) expect(Math.abs(quantileSorted(cal, q) - quantileSorted(raw, q))).toBeLessThan(0.03 * 1000)
  })

  it("widens a forecast whose outcomes kept falling in its tails, and shifts one that was biased", () => {
    const tails = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.02 + i / 1000 : 0.98 - i / 1000))
    const wide = recalibrateSorted(raw, tails)
    expect(quantileSorted(wide, 0.9) - quantileSorted(wide, 0.1)).toBeGreaterThan(quantileSorted(raw, 0.9) - quantileSorted(raw, 0.1))
    const high = Array.from({ length: 30 }, (_, i) => 0.6 + (0.4 * i) / 30) // outcomes above the median every time
    expect(quantileSorted(recalibrateSorted(raw, high), 0.5)).toBeGreaterThan(quantileSorted(raw, 0.5) + 100)
  })

  it("needs CALIBRATION_MIN_WINDOWS past windows; with fewer the raw forecast is used as it is", () => {
    const few = Array.from({ length: CALIBRATION_MIN_WINDOWS - 1 }, () => 0.99)
    expect(recalibrateSorted(raw, few)).toBe(raw)
    expect(recalibrateSorted(raw, [...few, 0.99])).not.toBe(raw)
  })
})
