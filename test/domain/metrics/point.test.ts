import { describe, expect, it } from "vitest"
import { mae, mase, rmse, seasonalNaiveScale, total } from "../../../src/domain/metrics/point"

describe("point errors", () => {
  it("MAE and RMSE of a hand-computed case", () => {
    // errors −1, 0, −2 → MAE 3/3, RMSE sqrt(5/3)
    expect(mae([1, 2, 3], [2, 2, 5])).toBe(1)
    expect(rmse([1, 2, 3], [2, 2, 5])).toBeCloseTo(Math.sqrt(5 / 3), 15)
  })

  it("rejects mismatched or empty arrays", () => {
    expect(() => mae([1, 2], [1])).toThrow(RangeError)
    expect(() => rmse([], [])).toThrow(RangeError)
  })

  it("seasonal naive scale: in-sample MAE of y_t − y_{t−m}", () => {
    // m = 2: |2−1| + |5−3| + |4−2| = 5 over 3 pairs
    expect(seasonalNaiveScale([1, 3, 2, 5, 4], 2)).toBeCloseTo(5 / 3, 15)
    expect(() => seasonalNaiveScale([1, 2], 2)).toThrow(RangeError)
  })

  it("MASE divides the MAE by the scale and is null for a zero scale", () => {
    expect(mase([1, 2, 3], [2, 2, 5], 0.5)).toBe(2)
    expect(mase([1, 2, 3], [2, 2, 5], 0)).toBeNull()
  })

  it("a weekly seasonal naive forecast of a series that grows linearly has MASE 1", () => {
    // y_t = t: the naive error y_t − y_{t−168} is always 168, in sample and out of sample.
    const train = Array.from({ length: 400 }, (_, t) => t)
    const actual = Array.from({ length: 168 }, (_, h) => 400 + h)
    const naive = Array.from({ length: 168 }, (_, h) => 400 + h - 168)
    expect(mase(naive, actual, seasonalNaiveScale(train))).toBe(1)
  })

  it("total sums a range", () => {
    expect(total([1, 2, 3, 4])).toBe(10)
    expect(total([1, 2, 3, 4], 1, 3)).toBe(5)
  })
})
