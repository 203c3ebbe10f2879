/**
 * The backtests projection on hand-made events, on PGlite and PostgreSQL: the rows and what the query
 * helpers return are the events' values; an unfinished run stays `started`; a catch-up in batches of
 * two events (upserts, increments and merges of one run split across transactions) equals a replay
 * from zero (`verify`), and `rebuild` reproduces the same tables.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { BacktestCompleted, BacktestStarted, BacktestWindowEvaluated, type BacktestWindowEvaluatedData } from "../../src/domain/events/backtest"
import { TweetObserved } from "../../src/domain/events/tweet"
import type { WindowMetrics } from "../../src/domain/metrics/evaluate"
import type { ModelKind } from "../../src/domain/models/model"
import { BACKTEST_TABLES, backtestsProjection } from "../../src/projections/backtests"
import {
  backtestById,
  backtestSummaries,
  backtestWindows,
  bestModelByCrps,
  latestBacktest,
  latestBacktestSummaries,
  latestBacktestWindows,
  listBacktests,
  type BacktestSummaryRow
} from "../../src/projections/queries/backtests"
import { rebuild } from "../../src/projections/rebuild"
import { catchUp } from "../../src/projections/runtime"
import { verify } from "../../src/projections/verify"
import { appendEvents, sqlExec, tableSnapshot, useStore, type Backend } from "./read-model-store"

const RUN_A = "6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e01"
const RUN_B = "0a5d1c44-9b7e-4f61-a2d3-c4b5a6978801"
const ORIGINS = ["2025-07-07T00:00:00Z", "2025-07-14T00:00:00Z"]

const metrics = (scale: number, inside80: 0 | 1, mase: number | null): WindowMetrics => ({
  mae_h24: 1.5 * scale,
  mae_h168: 1.25 * scale,
  mae_week: 40 * scale,
  crps_week: 25 * scale,
  inside80_week: inside80,
  inside50_week: 0,
  inside95_week: 1,
  rmse_h24: 2 * scale,
  rmse_h168: 1.75 * scale,
  mase_h24: mase,
  mase_h168: mase === null ? null : mase + 0.1,
  logscore_week: 5.5 + scale,
  pit_week: 0.25 * scale,
  actual_week: 400,
  mean_week: 400 + 40 * scale
})

const forecast = (level: number) => ({
  hourlyMean: Array.from({ length: 168 }, (_, h) => level + (h % 24) / 10),
  totalQuantiles: [
    { level: 0.1, value: level * 150 },
    { level: 0.5, value: level * 168 },
    { level: 0.9, value: level * 190 }
  ],
  totalMean: level * 170
})

const window = (backtestId: string, model: ModelKind, origin: string, scale: number, inside80: 0 | 1, mase: number | null): BacktestWindowEvaluatedData => ({
  backtestId,
  model,
  origin,
  metrics: metrics(scale, inside80, mase),
  forecast: forecast(scale * 2),
  fitSeconds: 0.125 * scale
})

const summary = (model: ModelKind, crps: number, failures?: Array<{ origin: string; reason: string }>) => ({
  model,
  origins: failures ? 1 : 2,
  mae_h24: 1.875,
  mae_h168: 1.5625,
  mae_week: 50,
  crps_week: crps,
  cover80_week: 0.5,
  cover50_week: 0,
  cover95_week: 1,
  rmse_h24: 2.5,
  rmse_h168: 2.1875,
  mase_h24: model === "hawkes" ? null : 0.9,
  mase_h168: model === "hawkes" ? null : 1,
  logscore_week: 6.75,
  fit_s: 0.1875,
  ...(failures ? { failures } : {})
})

const tweet = (id: string) => ({
  def: TweetObserved,
  data: {
    tweetId: id,
    authorId: "",
    account: "elonmusk",
    createdAt: "2025-07-01T10:00:00Z",
    kind: "post" as const,
    referencedIds: [],
    observedAt: "2025-07-02T00:00:00Z",
    source: "import" as const
  }
})

const events = [
  {
    def: BacktestStarted,
    data: {
      backtestId: RUN_A,
      models: ["seasonal_naive", "hawkes"],
      origins: ORIGINS,
      trainWindow: "8w",
      protocol: "custom",
      paths: 2000,
      seed: 42,
      featureSpecHash: "abc123",
      watermark: "12345"
    }
  },
  tweet("1800000000000000001"),
  { def: BacktestWindowEvaluated, data: window(RUN_A, "seasonal_naive", ORIGINS[0]!, 1, 1, 0.75) },
  { def: BacktestWindowEvaluated, data: window(RUN_A, "seasonal_naive", ORIGINS[1]!, 2, 0, 1.25) },
  { def: BacktestWindowEvaluated, data: window(RUN_A, "hawkes", ORIGINS[0]!, 0.5, 1, null) },
  {
    def: BacktestCompleted,
    data: {
      backtestId: RUN_A,
      summary: [summary("seasonal_naive", 37.5), summary("hawkes", 12.5, [{ origin: ORIGINS[1]!, reason: "hawkes fit failed: branching ratio >= 1" }])]
    }
  },
  // a second run, started later and never completed
  {
    def: BacktestStarted,
    data: { backtestId: RUN_B, models: ["negative_binomial"], origins: [ORIGINS[1]!], trainWindow: "since-regime", protocol: "dev", paths: 4000, seed: 7, watermark: "99" }
  },
  { def: BacktestWindowEvaluated, data: window(RUN_B, "negative_binomial", ORIGINS[1]!, 3, 1, 0.5) },
  tweet("1800000000000000002")
]

const runSuite = (backend: Backend) =>
  describe(`backtests projection on ${backend}`, () => {
    const store = useStore(backend)

    it("projects runs, windows and summaries with the events' values", async () => {
      await store.run(appendEvents(events, "musktracker@test+abc"))
      // batches of two events: a run's upsert, window increments and completion merge land in different transactions
      await store.run(catchUp([backtestsProjection], { batchSize: 2 }))

      const runs = await store.run(listBacktests())
      expect(runs.map((r) => r.backtestId)).toEqual([RUN_B, RUN_A]) // newest first
      const a = (await store.run(backtestById(RUN_A.toUpperCase())))!
      expect(a).toMatchObject({
        backtestId: RUN_A,
        status: "completed",
        models: ["seasonal_naive", "hawkes"],
        origins: ORIGINS.map((o) => Date.parse(o)),
        trainWindow: "8w",
        protocol: "custom",
        paths: 2000,
        seed: 42,
        featureSpecHash: "abc123",
        watermark: 12345n,
        windows: 3,
        codeVersion: "musktracker@test+abc"
      })
      expect(a.completedAt).not.toBeNull()
      expect(a.completedAt!).toBeGreaterThanOrEqual(a.startedAt)
      expect(Math.abs(a.startedAt - Date.now())).toBeLessThan(10 * 60_000)
      const b = (await store.run(backtestById(RUN_B)))!
      expect(b).toMatchObject({ status: "started", completedAt: null, windows: 1, trainWindow: "since-regime", protocol: "dev", featureSpecHash: null })
      expect(await store.run(backtestById("00000000-0000-4000-8000-000000000000"))).toBeUndefined()
      expect(await store.run(backtestById("not-a-uuid"))).toBeUndefined()

      const windows = await store.run(backtestWindows(RUN_A))
      expect(windows.map((w) => [w.model, w.origin])).toEqual([
        ["hawkes", Date.parse(ORIGINS[0]!)],
        ["seasonal_naive", Date.parse(ORIGINS[0]!)],
        ["seasonal_naive", Date.parse(ORIGINS[1]!)]
      ])
      const sn2 = windows[2]!
      expect(sn2.metrics).toEqual(metrics(2, 0, 1.25))
      expect(sn2.fitSeconds).toBe(0.25)
      expect(sn2.forecast).toEqual(forecast(4))
      expect(windows[0]!.metrics.mase_h24).toBeNull()
      expect((await store.run(backtestWindows(RUN_A, { model: "hawkes" }))).length).toBe(1)

      const summaries = await store.run(backtestSummaries(RUN_A))
      expect(summaries.map((s) => s.model)).toEqual(["hawkes", "seasonal_naive"])
      const { failures, ...hawkes } = summary("hawkes", 12.5, [{ origin: ORIGINS[1]!, reason: "hawkes fit failed: branching ratio >= 1" }])
      expect(summaries[0]).toEqual({ ...hawkes, backtestId: RUN_A, failures: failures.map((f) => ({ origin: Date.parse(f.origin), reason: f.reason })) })
      expect(summaries[1]).toEqual({ ...summary("seasonal_naive", 37.5), backtestId: RUN_A, failures: [] })
      expect(await store.run(backtestSummaries(RUN_B))).toEqual([])
    })

    it("latest helpers pick the newest completed run unless asked otherwise", async () => {
      expect((await store.run(latestBacktest()))!.backtestId).toBe(RUN_A)
      expect((await store.run(latestBacktest({ includeIncomplete: true })))!.backtestId).toBe(RUN_B)
      const s = (await store.run(latestBacktestSummaries()))!
      expect(s.backtest.backtestId).toBe(RUN_A)
      expect(bestModelByCrps(s.summaries)).toBe("hawkes")
      const w = (await store.run(latestBacktestWindows()))!
      expect(w.windows.length).toBe(3)
      expect(w.windows.every((x) => x.forecast.hourlyMean.length === 168)).toBe(true)
    })

    it("incremental application equals a replay from zero (verify), and rebuild reproduces the tables", async () => {
      const report = await store.run(verify(backtestsProjection))
      expect(report.differences).toBe(0)
      expect(report.tables.map((t) => [t.table, t.liveRows])).toEqual([
        [BACKTEST_TABLES.runs, 2],
        [BACKTEST_TABLES.windows, 4],
        [BACKTEST_TABLES.summaries, 2]
      ])
      const before = await store.run(Effect.all(Object.values(BACKTEST_TABLES).map(tableSnapshot)))
      const rebuilt = await store.run(rebuild(backtestsProjection))
      expect(rebuilt.tables.map((t) => t.rows)).toEqual([2, 4, 2])
      const after = await store.run(Effect.all(Object.values(BACKTEST_TABLES).map(tableSnapshot)))
      expect(after).toEqual(before)
      // the audit is not vacuous: a tampered live row is reported, and a rebuild repairs it
      await store.run(sqlExec(`update backtests set windows = 99 where backtest_id = '${RUN_B}'`))
      const tampered = await store.run(verify(backtestsProjection))
      expect(tampered.differences).toBe(1)
      expect(tampered.tables[0]!.changed[0]!.live).toMatchObject({ windows: 99 })
      await store.run(rebuild(backtestsProjection))
      expect((await store.run(verify(backtestsProjection))).differences).toBe(0)
    })
  })

describe("bestModelByCrps", () => {
  const s = (model: ModelKind, crps_week: number, origins = 3) => ({ model, crps_week, origins }) as BacktestSummaryRow
  it("takes the lowest CRPS among models with evaluated origins, ties by name", () => {
    expect(bestModelByCrps([s("sarimax", 30), s("hawkes", 20), s("seasonal_naive", 25)])).toBe("hawkes")
    expect(bestModelByCrps([s("sarimax", 20), s("hawkes", 20)])).toBe("hawkes")
    expect(bestModelByCrps([s("hawkes", 1, 0), s("sarimax", 30)])).toBe("sarimax")
    expect(bestModelByCrps([])).toBeUndefined()
  })
})

runSuite("pglite")
runSuite("postgres")
