/**
 * Both detectors on the shared data (daily UTC counts of every tweet, 2022-11-01 .. 2025-12-31).
 *
 * Where the big shifts are, established independently of the detectors:
 *  - weekly totals (Monday weeks) were ~200–300 through 2023, ~300–400 in June 2024, then 628 in the week of
 *    2024-07-15; ~450–650 through Sept–mid Oct 2024, then 788 (Oct 21), 1090 (Oct 28), ~900–1070 in Nov;
 *    ~700–800 in March 2025, then 458 (Mar 31), 409, 287 (Apr 14) and ~250–450 afterwards.
 *  - Inside a bracket around each, the test locates the transition itself: the maximum-likelihood single
 *    split of a two-level Poisson model of the daily counts (offline, it sees the whole bracket).
 * The online detectors must report a regime start near each split, soon after it, in the right direction.
 */
import { describe, expect, it } from "vitest"
import { loadSharedTweetTimes as loadTweetTimes } from "../../support/shared-data"
import { dailyCountsFromInstants, type DailySeries } from "../../../src/domain/regimes/daily"
import { bocpd } from "../../../src/domain/regimes/bocpd"
import { rollingVariance } from "../../../src/domain/regimes/rolling-variance"
import type { RegimeDetection } from "../../../src/domain/regimes/types"
import { DAY_MS } from "../../../src/domain/time"

const FIRST = Date.parse("2022-11-01T00:00:00Z")
const DAYS = (Date.parse("2026-01-01T00:00:00Z") - FIRST) / DAY_MS
const day = (iso: string) => Date.parse(iso + "T00:00:00Z")

/** Offline ML split of a two-level Poisson model over [from, to): argmax_k S₁ ln(S₁/k) + S₂ ln(S₂/(n−k)). */
const offlineSplit = (s: DailySeries, from: number, to: number): { at: number; before: number; after: number } => {
  const i0 = (from - s.start) / DAY_MS
  const xs = Array.from(s.counts.subarray(i0, (to - s.start) / DAY_MS))
  const ll = (seg: number[]) => {
    const S = seg.reduce((a, b) => a + b, 0)
    return S > 0 ? S * Math.log(S / seg.length) : 0
  }
  let best = -1
  let bestLl = -Infinity
  for (let k = 7; k <= xs.length - 7; k++) {
    const v = ll(xs.slice(0, k)) + ll(xs.slice(k))
    if (v > bestLl) [best, bestLl] = [k, v]
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length
  return { at: s.start + (i0 + best) * DAY_MS, before: mean(xs.slice(0, best)), after: mean(xs.slice(best)) }
}

const BRACKETS = [
  { name: "July 2024 rise", from: "2024-05-01", to: "2024-09-30", expect: ["2024-07-01", "2024-07-22"], up: true },
  { name: "late-2024 rise to ~900/week", from: "2024-09-01", to: "2024-12-31", expect: ["2024-10-07", "2024-11-04"], up: true },
  { name: "spring-2025 fall to ~350/week", from: "2025-03-10", to: "2025-05-31", expect: ["2025-03-24", "2025-04-14"], up: false }
] as const

describe("regime detection on the shared data", () => {
  const series = dailyCountsFromInstants(loadTweetTimes(), FIRST, DAYS)
  const splits = BRACKETS.map((b) => ({ ...b, split: offlineSplit(series, day(b.from), day(b.to)) }))

  it("the independent offline splits fall where the weekly totals say", () => {
    for (const b of splits) {
      expect(b.split.at).toBeGreaterThanOrEqual(day(b.expect[0]))
      expect(b.split.at).toBeLessThanOrEqual(day(b.expect[1]))
      expect(b.split.after > b.split.before).toBe(b.up)
    }
  })

  const checkDetector = (detections: ReadonlyArray<RegimeDetection>) => {
    for (const b of splits) {
      const near = detections.filter((d) => Math.abs(d.dayStart - b.split.at) <= 14 * DAY_MS)
      expect(near.length, b.name).toBe(1)
      const d = near[0]!
      expect(d.detectedAt - b.split.at, b.name).toBeLessThanOrEqual(35 * DAY_MS)
      expect(d.detectedAt).toBeGreaterThan(d.dayStart)
      expect(d.levelAfter > d.levelBefore, b.name).toBe(b.up)
      expect(Math.abs(Math.log(d.levelAfter / d.levelBefore)), b.name).toBeGreaterThan(Math.log(1.4))
    }
    // late 2024 is the ~900–1000/week regime; spring 2025 the ~350/week one (daily level × 7)
    const late2024 = detections.find((d) => Math.abs(d.dayStart - splits[1]!.split.at) <= 14 * DAY_MS)!
    expect(late2024.levelAfter * 7).toBeGreaterThan(750)
    const spring2025 = detections.find((d) => Math.abs(d.dayStart - splits[2]!.split.at) <= 14 * DAY_MS)!
    expect(spring2025.levelAfter * 7).toBeLessThan(500)
    // a detector that chases noisy weeks is useless for "since-regime" training windows: the weekly chart
    // shows well under a dozen level changes in these 38 months
    expect(detections.length).toBeGreaterThanOrEqual(3)
    expect(detections.length).toBeLessThanOrEqual(15)
  }

  it("BOCPD finds the big shifts online", () => {
    const result = bocpd(series)
    checkDetector(result.detections)
    // pruning keeps the run-length state small on real data
    expect(Math.max(...result.trace.map((s) => s.kept))).toBeLessThan(500)
    // online: each detection is reproduced from the days before its detectedAt only
    for (const d of result.detections) {
      const upTo = (d.detectedAt - FIRST) / DAY_MS
      const prefix = bocpd({ start: FIRST, counts: series.counts.subarray(0, upTo) })
      expect(prefix.detections[prefix.detections.length - 1]).toEqual(d)
    }
  })

  it("the rolling-variance detector finds them too", () => {
    checkDetector(rollingVariance(series).detections)
  })
})
