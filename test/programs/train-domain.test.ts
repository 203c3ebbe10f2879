/**
 * The backtest engine without a database: the protocol's seasonal-naive numbers against an independent
 * computation from the CSV, no look-ahead, and independence from worker count and reruns.
 */
import { describe, expect, it } from "vitest"
import { runPool } from "../../src/adapters/workers/pool"
import { devOrigins } from "../../src/domain/backtest/origins"
import { planBacktest, type PlannedWindow } from "../../src/domain/backtest/plan"
import { makeKnowledge } from "../../src/domain/features/asof"
import type { ExogenousDomainEvent } from "../../src/domain/events/exogenous"
import { HOUR_MS, toIsoUtc } from "../../src/domain/time"
import { runWindowTask, type WindowResult, type WindowTask } from "../../src/programs/train/window-task"
import { calibratedWindows, ensembleWindows, type ModelWindow } from "../../src/domain/backtest/derived"
import type { ModelKind } from "../../src/domain/models/model"
import { loadSharedTweetTimes } from "../support/shared-data"

const times = loadSharedTweetTimes()
const dataEnd = Math.floor(times[times.length - 1]! / HOUR_MS) * HOUR_MS + HOUR_MS
const knowledge = makeKnowledge({ tweetTimes: times })
const weeks8 = { _tag: "Weeks", weeks: 8 } as const

const ok = (r: WindowResult) => {
  if (!r.ok) throw new Error(`window failed: ${r.reason}`)
  return r
}
/** Everything of a result but the wall-clock fit time. */
const comparable = (r: WindowResult) => ({ ...r, fitSeconds: 0 })

describe("backtest engine on the shared data", () => {
  it("--protocol dev: seasonal_naive equals an independent computation from the CSV at all 25 origins", () => {
    const origins = devOrigins()
    expect(origins).toHaveLength(25)
    expect(toIsoUtc(origins[0]!)).toBe("2025-07-07T00:00:00Z")
    expect(toIsoUtc(origins[24]!)).toBe("2025-12-22T00:00:00Z")
    const plan = planBacktest({ knowledge, models: ["seasonal_naive"], origins, trainWindow: weeks8, dataEnd, paths: 2000, seed: 1 })
    expect(plan.skipped).toEqual([])
    for (const w of plan.windows) {
      const r = ok(runWindowTask(w))
      // Independent: hourly counts straight from the timestamps, forecast = same hour one week earlier.
      const count = (from: number) => {
        const c = new Array<number>(168).fill(0)
        for (const t of times) {
          const h = Math.floor((t - from) / HOUR_MS)
          if (h >= 0 && h < 168) c[h]!++
        }
        return c
      }
      const actual = count(w.origin)
      const naive = count(w.origin - 168 * HOUR_MS)
      const mae = (n: number) => actual.slice(0, n).reduce((s, a, i) => s + Math.abs(a - naive[i]!), 0) / n
      const sum = (a: number[]) => a.reduce((x, y) => x + y, 0)
      expect(r.metrics.mae_h24).toBeCloseTo(mae(24), 12)
      expect(r.metrics.mae_h168).toBeCloseTo(mae(168), 12)
      expect(r.metrics.mae_week).toBeCloseTo(Math.abs(sum(naive) - sum(actual)), 9)
      expect(r.metrics.actual_week).toBe(sum(actual))
    }
  })

  it("sees nothing after the origin: later tweets and later-known curated events change nothing", () => {
    const origin = Date.UTC(2025, 9, 6)
    const weekEnd = origin + 168 * HOUR_MS
    // A curated event about the forecast week, but made public only after the origin.
    const lateEvent: ExogenousDomainEvent = {
      type: "ExogenousEventCurated",
      data: {
        eventId: "00000000-0000-4000-8000-000000000001",
        name: "announced later",
        start: toIsoUtc(origin - 24 * HOUR_MS),
        end: toIsoUtc(origin + 48 * HOUR_MS),
        intensity: 1,
        knownAt: toIsoUtc(origin + HOUR_MS),
        kind: "unscheduled",
        tags: []
      }
    } as ExogenousDomainEvent
    const truncated = makeKnowledge({ tweetTimes: times.filter((t) => t < weekEnd) })
    const full = makeKnowledge({ tweetTimes: times, exogenous: [lateEvent] })
    for (const kind of ["seasonal_naive", "negative_binomial", "hawkes", "ewma_level", "nb_local_level"] as const) {
      const run = (k: typeof knowledge) =>
        ok(runWindowTask(planBacktest({ knowledge: k, models: [kind], origins: [origin], trainWindow: weeks8, dataEnd, paths: 500, seed: 3 }).windows[0]!))
      expect(comparable(run(full))).toEqual(comparable(run(truncated)))
    }
  })

  it("nowcasts see nothing after their issue time: changing the week's later tweets changes only later nowcasts", () => {
    const origin = Date.UTC(2025, 9, 13)
    const cut = origin + 3 * 24 * HOUR_MS
    // drop every other tweet of [T + 3 days, T + 7 days)
    let i = 0
    const thinned = makeKnowledge({ tweetTimes: times.filter((t) => t < cut || t >= origin + 168 * HOUR_MS || i++ % 2 === 0) })
    for (const kind of ["ewma_level", "nb_local_level", "hawkes"] as const) {
      const run = (k: typeof knowledge) =>
        ok(runWindowTask(planBacktest({ knowledge: k, models: [kind], origins: [origin], trainWindow: weeks8, dataEnd, paths: 500, seed: 3 }).windows[0]!))
      const a = run(knowledge)
      const b = run(thinned)
      // issue times T, T+1d and T+3d: the same predictive distributions
      for (const j of [0, 1, 2]) expect(Array.from(b.totals[j]!), `${kind} at issue time ${j}`).toEqual(Array.from(a.totals[j]!))
      expect(b.nowcasts[1]!.observed).toBe(a.nowcasts[1]!.observed)
      // T+5d saw the thinned days
      expect(b.nowcasts[2]!.observed).toBeLessThan(a.nowcasts[2]!.observed)
      expect(b.metrics.actual_week).toBeLessThan(a.metrics.actual_week)
    }
  })

  it("appending later tweets leaves every backtest number unchanged, derived forecasters included", () => {
    const origins = devOrigins().slice(0, 14)
    const lastWeekEnd = origins[origins.length - 1]! + 168 * HOUR_MS
    const before = makeKnowledge({ tweetTimes: times.filter((t) => t < lastWeekEnd) })
    const later = Array.from({ length: 5000 }, (_, j) => lastWeekEnd + j * 60_000)
    const after = makeKnowledge({ tweetTimes: [...times.filter((t) => t < lastWeekEnd), ...later] })
    const run = (k: typeof knowledge, end: number) => {
      const plan = planBacktest({ knowledge: k, models: ["ewma_level", "seasonal_naive"], origins, trainWindow: weeks8, dataEnd: end, paths: 400, seed: 5 })
      const byModel = new Map<ModelKind, ModelWindow[]>()
      plan.windows.forEach((w) => {
        const r = ok(runWindowTask(w))
        byModel.set(w.kind, [...(byModel.get(w.kind) ?? []), { ...r, burnIn: w.burnIn }])
      })
      const actuals = new Map(plan.windows.map((w) => [w.origin, w.actual]))
      const windows = [...byModel.values()].flat().map((w) => ({ ...w, fitSeconds: 0 }))
      const calibrated = [...byModel.values()].flatMap((ws) => calibratedWindows(ws, actuals, 5))
      return { windows, calibrated, ensemble: ensembleWindows(byModel, actuals, 5) }
    }
    const a = run(before, lastWeekEnd)
    const b = run(after, lastWeekEnd + 5000 * 60_000)
    expect(a.calibrated.length).toBe(2 * origins.length)
    expect(a.ensemble.length).toBe(origins.length)
    expect(b).toEqual(a)
  })

  it("gives identical results for any number of workers and on a rerun", async () => {
    const origins = devOrigins().slice(0, 2)
    const plan = planBacktest({ knowledge, models: ["seasonal_naive", "poisson_seasonal", "negative_binomial"], origins, trainWindow: weeks8, dataEnd, paths: 2000, seed: 9 })
    const module = new URL("../../src/programs/train/window-task.ts", import.meta.url).href
    const tasks = plan.windows.map((w: PlannedWindow) => ({ module, fn: "runWindowTask", arg: w satisfies WindowTask }))
    const one = await runPool<WindowTask, WindowResult>(tasks, 1)
    const two = await runPool<WindowTask, WindowResult>(tasks, 2)
    const again = await runPool<WindowTask, WindowResult>(tasks, 2)
    expect(one.every((r) => r.ok)).toBe(true)
    expect(two.map(comparable)).toEqual(one.map(comparable))
    expect(again.map(comparable)).toEqual(one.map(comparable))
  })
})
