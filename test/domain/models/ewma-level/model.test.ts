/**
 * ewma_level against PROTOCOL.md's reference point computed independently from the CSV (UTC daily
 * counts straight from the timestamps): the level, the ratio set, and the predictive mean it implies.
 */
import { describe, expect, it } from "vitest"
import { devOrigins } from "../../../../src/domain/backtest/origins"
import { makeKnowledge, modelInputsAsOf, recordHoursBefore } from "../../../../src/domain/features/asof"
import { dailyBlocks } from "../../../../src/domain/models/level/blocks"
import { EWMA_HISTORY_DAYS, ewmaLevels, fitEwmaLevel, forecastEwmaLevel, pastLogRatios } from "../../../../src/domain/models/ewma-level/index"
import { ModelFitError } from "../../../../src/domain/models/model"
import { DAY_MS } from "../../../../src/domain/time"
import { loadSharedTweetTimes } from "../../../support/shared-data"

const times = loadSharedTweetTimes()
const knowledge = makeKnowledge({ tweetTimes: times })

/** Tweets per UTC day for the `n` days before `t` (independent of the project's bucketing). */
const dailyBefore = (t: number, n: number): number[] => {
  const out = new Array<number>(n).fill(0)
  for (const x of times) {
    const d = Math.floor((x - (t - n * DAY_MS)) / DAY_MS)
    if (d >= 0 && d < n) out[d]!++
  }
  return out
}

describe("ewma_level", () => {
  it("levels are the exponentially weighted means they claim to be", () => {
    const y = [5, 0, 12, 7, 3, 9]
    const levels = ewmaLevels(y, 2)
    const a = Math.pow(0.5, 1 / 2)
    for (let t = 1; t <= y.length; t++) {
      let num = 0
      let den = 0
      for (let s = 0; s < t; s++) {
        num += a ** (t - 1 - s) * y[s]!
        den += a ** (t - 1 - s)
      }
      expect(levels[t]).toBeCloseTo(num / den, 12)
    }
  })

  it.each([0, 1, 3, 5])("at a dev origin + %i days: the same level and ratios as the protocol's reference, computed from the CSV", (k) => {
    const issue = devOrigins()[10]! + k * DAY_MS
    const inputs = modelInputsAsOf(knowledge, issue, { windowHours: Math.min(EWMA_HISTORY_DAYS * 24, recordHoursBefore(knowledge, issue)) })
    const blocks = dailyBlocks(inputs.hourly)
    const levels = ewmaLevels(blocks, 7)
    const horizon = (7 - k) * 24
    const ours = pastLogRatios(inputs.hourly.counts, levels, blocks.length, horizon).sort((a, b) => a - b)

    // Independent: all days before the issue time; level = EW mean (half-life 7) over all of them.
    const all = dailyBefore(issue, Math.floor((issue - Date.UTC(2022, 10, 1)) / DAY_MS))
    const a = Math.pow(0.5, 1 / 7)
    const lv: number[] = [NaN]
    let num = 0
    let den = 0
    for (const c of all) {
      num = a * num + c
      den = a * den + 1
      lv.push(num / den)
    }
    const d = 7 - k
    const ref: number[] = []
    for (let s = all.length - 364; s <= all.length - d; s++) ref.push(Math.log(all.slice(s, s + d).reduce((x, y) => x + y, 0) / (d * lv[s]!)))
    ref.sort((x, y) => x - y)
    expect(ours.length).toBe(ref.length)
    // The record before the model's window weighs < 0.5^(56/7) on a level: 1e-2 relative on a ratio's level at most.
    ours.forEach((r, i) => expect(Math.abs(r - ref[i]!)).toBeLessThan(1e-2))
    expect(levels[blocks.length]!).toBeCloseTo(lv[all.length]!, 6)

    // The forecast's mean is (days left) x level x mean(exp(r)), up to Monte Carlo error.
    const fitted = fitEwmaLevel(inputs)
    const n = 20_000
    const paths = forecastEwmaLevel(fitted, inputs, horizon, { paths: n, seed: 1 })
    const totals = Array.from({ length: n }, (_, p) => paths.values.subarray(p * horizon, (p + 1) * horizon).reduce((x, y) => x + y, 0))
    const mean = totals.reduce((x, y) => x + y, 0) / n
    const expected = ref.map((r) => d * lv[all.length]! * Math.exp(r))
    const m = expected.reduce((x, y) => x + y, 0) / expected.length
    const sd = Math.sqrt(expected.reduce((x, y) => x + (y - m) ** 2, 0) / expected.length)
    expect(Math.abs(mean - m)).toBeLessThan(4 * sd / Math.sqrt(n) + 0.01 * m)
  })

  it("spreads each path's total over the hours: hourly values are whole counts that add up", () => {
    const origin = devOrigins()[3]!
    const inputs = modelInputsAsOf(knowledge, origin, { windowHours: EWMA_HISTORY_DAYS * 24 })
    const paths = forecastEwmaLevel(fitEwmaLevel(inputs), inputs, 168, { paths: 200, seed: 4 })
    for (const v of paths.values) expect(Number.isInteger(v) && v >= 0).toBe(true)
    const again = forecastEwmaLevel(fitEwmaLevel(inputs), inputs, 168, { paths: 200, seed: 4 })
    expect(Array.from(again.values)).toEqual(Array.from(paths.values))
  })

  it("says why it cannot forecast with too little history", () => {
    const origin = devOrigins()[0]!
    const inputs = modelInputsAsOf(knowledge, origin, { windowHours: 30 * 24 })
    expect(() => fitEwmaLevel(inputs)).toThrow(ModelFitError)
    expect(() => fitEwmaLevel(inputs)).toThrow(/needs at least 57 days of history/)
  })
})
