/** The pure forecast run on real (cheap) models: a pure function of its inputs and seeds. */
import { describe, expect, it } from "vitest"
import { parseBrackets, type Bracket } from "../../../src/domain/forecast/brackets"
import { observedHourly, planForecast, type ForecastPlan } from "../../../src/domain/forecast/plan"
import { runForecast, type MemberRun } from "../../../src/domain/forecast/run"
import { expandSample } from "../../../src/domain/forecast/sample"
import { makeKnowledge, modelInputsAsOf } from "../../../src/domain/features/asof"
import { modelEntry } from "../../../src/domain/models/registry"
import { Rng } from "../../../src/domain/random"

const H = 3_600_000
const T = Date.parse("2025-06-02T00:00:00Z")

// Four weeks of synthetic tweets with a daily cycle.
const rng = Rng.seeded(9)
const times: number[] = []
for (let h = -28 * 24; h < 0; h++) {
  const n = rng.poisson(2 + 2 * Math.sin((2 * Math.PI * h) / 24))
  for (let k = 0; k < n; k++) times.push(T + h * H + rng.uniform() * H)
}
const knowledge = makeKnowledge({ tweetTimes: times })

const member = (kind: "seasonal_naive" | "poisson_seasonal", p: ForecastPlan, seed: number, weight: number): MemberRun => {
  const inputs = modelInputsAsOf(knowledge, p.origin, { windowHours: 21 * 24, horizonHours: p.simulateHours })
  return { kind, fitted: modelEntry(kind).model.fit(inputs, {}), inputs, seed, weight }
}

const plan = (start: number, end: number): ForecastPlan => planForecast({ start, end }, T) as ForecastPlan
const brackets = parseBrackets("0-99,100-149,150-199,200+") as ReadonlyArray<Bracket>

describe("runForecast", () => {
  const p = plan(T - 12 * H, T + 36 * H)
  const obs = observedHourly(p, times.filter((t) => t < T))
  const run = (seed: number, paths = 2000) =>
    runForecast({
      plan: p,
      members: [member("seasonal_naive", p, seed, 0.6), member("poisson_seasonal", p, seed + 1, 0.4)],
      paths,
      poolSeed: seed + 2,
      observedHourly: obs,
      brackets
    })

  it("is a pure function of its inputs and seeds", () => {
    expect(run(1).result).toEqual(run(1).result)
    expect(run(1).result.total).not.toEqual(run(2).result.total)
  })

  it("pools exactly the paths asked for, in proportion to the weights", () => {
    const r = run(3, 4000)
    expect(r.memberPaths.reduce((a, b) => a + b, 0)).toBe(4000)
    expect(Math.abs(r.memberPaths[0]! / 4000 - 0.6)).toBeLessThan(0.04)
    const sample = expandSample(r.result.sample)
    expect(sample).toHaveLength(4000)
    // Brackets count the window totals (observed + remaining) of the paths.
    const totals = Array.from(sample, (x) => x + r.result.observed.count)
    const bs = r.result.brackets!
    expect(bs.reduce((s, b) => s + b.count, 0)).toBe(4000)
    bs.forEach((b) => expect(b.count).toBe(totals.filter((x) => x >= (b.lo === 0 ? -Infinity : b.lo) && (b.hi === null || x < b.hi + 1)).length))
    expect(r.result.observed.count).toBe(times.filter((t) => t >= T - 12 * H && t < T).length)
    expect(r.result.hourly.mean).toHaveLength(36)
  })

  it("a single model takes every path", () => {
    const single = runForecast({ plan: p, members: [member("seasonal_naive", p, 4, 1)], paths: 500, poolSeed: 0, observedHourly: obs })
    expect(single.memberPaths).toEqual([500])
    expect(single.result.brackets).toBeUndefined()
  })

  it("refuses inputs that do not end at the origin", () => {
    const other = planForecast({ start: T + H, end: T + 5 * H }, T + H) as ForecastPlan
    expect(() => runForecast({ plan: other, members: [member("seasonal_naive", p, 1, 1)], paths: 10, poolSeed: 0, observedHourly: [] })).toThrow(/not at the origin/)
  })
})
