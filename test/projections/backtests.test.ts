/**
 * The backtests projection on hand-made events, on PGlite and PostgreSQL: the rows and what the query
 * helpers return are the events' values; an unfinished run stays `started`; a catch-up in batches of
 * two events (upserts, increments and merges of one run split across transactions) equals a replay
 * from zero (`verify`), and `rebuild` reproduces the same tables.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
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
import { rebuild, rebuildAccount } from "../../src/projections/rebuild"
import { catchUp } from "../../src/projections/runtime"
import { verify } from "../../src/projections/verify"
import { events, forecast, metrics, ORIGINS, RUN_A, RUN_B, summary } from "./backtest-fixtures"
import { appendEvents, sqlExec, tableSnapshot, useStore, type Backend } from "./read-model-store"

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
      expect(summaries[0]).toEqual({ ...hawkes, backtestId: RUN_A, failures: failures!.map((f) => ({ origin: Date.parse(f.origin), reason: f.reason })) })
      expect(summaries[1]).toEqual({ ...summary("seasonal_naive", 37.5), backtestId: RUN_A, failures: [] })
      expect(await store.run(backtestSummaries(RUN_B))).toEqual([])
    })

    it("latest helpers pick the newest completed run unless asked otherwise", async () => {
      expect((await store.run(latestBacktest("elonmusk")))!.backtestId).toBe(RUN_A)
      expect((await store.run(latestBacktest("elonmusk", { includeIncomplete: true })))!.backtestId).toBe(RUN_B)
      const s = (await store.run(latestBacktestSummaries("elonmusk")))!
      expect(s.backtest.backtestId).toBe(RUN_A)
      expect(bestModelByCrps(s.summaries)).toBe("hawkes")
      const w = (await store.run(latestBacktestWindows("elonmusk")))!
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

    it("verify --account compares a run's windows and summaries with the run's account", async () => {
      const rows = async (account: string) => (await store.run(verify(backtestsProjection, { account }))).tables.map((t) => [t.table, t.liveRows, t.rebuiltRows])
      expect(await rows("elonmusk")).toEqual([
        [BACKTEST_TABLES.runs, 2, 2],
        [BACKTEST_TABLES.windows, 4, 4],
        [BACKTEST_TABLES.summaries, 2, 2]
      ])
      expect(await rows("nobody")).toEqual([
        [BACKTEST_TABLES.runs, 0, 0],
        [BACKTEST_TABLES.windows, 0, 0],
        [BACKTEST_TABLES.summaries, 0, 0]
      ])
      await store.run(sqlExec(`update backtest_windows set fit_seconds = 9 where backtest_id = '${RUN_A}'`))
      expect((await store.run(verify(backtestsProjection, { account: "elonmusk" }))).differences).toBeGreaterThan(0)
      expect((await store.run(verify(backtestsProjection, { account: "nobody" }))).differences).toBe(0)
      const r = await store.run(rebuildAccount(backtestsProjection, "elonmusk"))
      expect(r.tables.map((t) => [t.table, t.rows])).toEqual([
        [BACKTEST_TABLES.runs, 2],
        [BACKTEST_TABLES.windows, 4],
        [BACKTEST_TABLES.summaries, 2]
      ])
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
