/** Plans, nowcasting and the window summary on hand-made paths whose numbers can be checked by hand. */
import { describe, expect, it } from "vitest"
import { observedHourly, planForecast, type ForecastPlan } from "../../../src/domain/forecast/plan"
import { summarizeWindow, windowTotalsSorted } from "../../../src/domain/forecast/summary"
import type { SamplePaths } from "../../../src/domain/models/model"
import { quantileSorted } from "../../../src/domain/stats/quantile"

const H = 3_600_000
const T = Date.parse("2025-12-10T00:00:00Z")

const plan = (start: number, end: number, origin: number): ForecastPlan => {
  const p = planForecast({ start, end }, origin)
  if (typeof p === "string") throw new Error(p)
  return p
}

/** Path p, hour h has value p + h (so every total is known in closed form). */
const paths = (origin: number, hours: number, n: number): SamplePaths => {
  const values = new Float64Array(n * hours)
  for (let p = 0; p < n; p++) for (let h = 0; h < hours; h++) values[p * hours + h] = p + h
  return { origin, hours, paths: n, values }
}

describe("planForecast", () => {
  it("places the window around the origin", () => {
    expect(plan(T, T + 24 * H, T)).toMatchObject({ simulateHours: 24, skipHours: 0, remainingHours: 24, observedHours: 0 })
    expect(plan(T + 10 * H, T + 34 * H, T)).toMatchObject({ simulateHours: 34, skipHours: 10, remainingHours: 24, observedHours: 0 })
    expect(plan(T - 30 * H, T + 18 * H, T)).toMatchObject({ simulateHours: 18, skipHours: 0, remainingHours: 18, observedHours: 30 })
    expect(planForecast({ start: T - 48 * H, end: T }, T)).toMatch(/ended at or before the forecast origin 2025-12-10T00:00:00Z/)
    // Counts are per UTC hour: a window off the hour (a half-hour zone's calendar window) is refused.
    expect(planForecast({ start: T + 30 * 60_000, end: T + 168 * H + 30 * 60_000 }, T)).toMatch(/does not start and end on UTC hours/)
  })
})

describe("nowcasting", () => {
  // A window that started 30 h before the origin: 30 observed hours, 18 simulated.
  const p = plan(T - 30 * H, T + 18 * H, T)
  // Tweets: 2 in every observed hour, plus some outside the window (before it, and after the origin).
  const tweets = [T - 40 * H, ...Array.from({ length: 30 }, (_, i) => [T - 30 * H + i * H + 60_000, T - 30 * H + i * H + 120_000]).flat(), T + 5 * H]
  const obs = observedHourly(p, tweets)
  const sp = paths(T, 18, 11)
  const s = summarizeWindow(sp, p, obs)

  it("counts the observed part exactly", () => {
    expect(obs).toHaveLength(30)
    expect(Array.from(obs).every((c) => c === 2)).toBe(true)
    expect(s.observed).toBe(60)
    expect(s.observedHours).toBe(30)
  })

  it("adds the observed part to every path: total = observed + remaining, quantile by quantile", () => {
    // Remaining total of path p = Σ_{h<18} (p + h) = 18p + 153.
    const remaining = Array.from({ length: 11 }, (_, p) => 18 * p + 153)
    expect(Array.from(s.remainingSorted)).toEqual(remaining)
    expect(Array.from(windowTotalsSorted(s))).toEqual(remaining.map((r) => r + 60))
    expect(s.remaining.mean).toBe(18 * 5 + 153)
    expect(s.total.mean).toBe(s.remaining.mean + 60)
    s.total.quantiles.forEach((q, i) => expect(q).toBe(s.remaining.quantiles[i]! + 60))
    expect(s.remaining.quantiles[3]).toBe(quantileSorted(Float64Array.from(remaining), 0.5))
  })

  it("splits days into observed and simulated parts", () => {
    // Blocks from the window start: [T-30h, T-6h) all observed (48), [T-6h, T+18h) 6 observed hours (12) + 18 simulated.
    expect(s.days).toHaveLength(2)
    expect(s.days[0]).toMatchObject({ start: T - 30 * H, end: T - 6 * H, observed: 48, mean: 48 })
    expect(s.days[0]!.quantiles).toEqual([48, 48, 48])
    expect(s.days[1]).toMatchObject({ start: T - 6 * H, end: T + 18 * H, observed: 12 })
    expect(s.days[1]!.mean).toBe(12 + 18 * 5 + 153)
    expect(s.days[0]!.observed + s.days[1]!.observed).toBe(s.observed)
  })

  it("summarises the simulated hours of the window", () => {
    expect(s.hourly.start).toBe(T)
    expect(Array.from(s.hourly.mean)).toEqual(Array.from({ length: 18 }, (_, h) => 5 + h))
    expect(Array.from(s.hourly.quantiles[1]!)).toEqual(Array.from({ length: 18 }, (_, h) => 5 + h))
  })

  it("skips the simulated hours before a window that lies ahead", () => {
    const ahead = plan(T + 6 * H, T + 10 * H, T)
    const s2 = summarizeWindow(paths(T, 10, 3), ahead, observedHourly(ahead, tweets))
    expect(s2.observed).toBe(0)
    // Hours 6..9 of path p: 4p + 30.
    expect(Array.from(s2.remainingSorted)).toEqual([30, 34, 38])
    expect(s2.hourly.start).toBe(T + 6 * H)
    expect(s2.days).toEqual([{ start: T + 6 * H, end: T + 10 * H, observed: 0, mean: 34, quantiles: [30.8, 34, 37.2] }])
  })

  it("refuses paths that do not match the plan", () => {
    expect(() => summarizeWindow(paths(T, 17, 3), p, obs)).toThrow(/expected 18 simulated hours/)
    expect(() => summarizeWindow(paths(T + H, 18, 3), p, obs)).toThrow(/origin/)
  })
})
