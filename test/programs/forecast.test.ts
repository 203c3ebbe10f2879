/**
 * The forecast program on a real embedded store (PGlite) holding the last 12 weeks of the shared data:
 * every model and the ensemble reproduce exactly from the log; a forecast made before later tweets
 * arrive still reproduces after they do; nowcasting adds the observed count exactly; brackets match the
 * recorded paths; a scored forecast's CRPS equals a direct computation from the recorded sample.
 * Actual and observed counts are checked against the CSV rows themselves, not the store.
 */
import { Effect, Exit, Layer, ManagedRuntime } from "effect"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readArchive } from "../../src/adapters/archive/read-archive"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import type { ArchiveRow } from "../../src/domain/archive/csv"
import { latestOrigins } from "../../src/domain/backtest/origins"
import type { ForecastIssuedData } from "../../src/domain/events/forecast"
import { parseBrackets, type Bracket } from "../../src/domain/forecast/brackets"
import { expandSample } from "../../src/domain/forecast/sample"
import { MODEL_KINDS, type ModelKind } from "../../src/domain/models/model"
import { EventStore } from "../../src/domain/ports/event-store"
import { HOUR_MS, hourFloor, parseInstant, WEEK_MS } from "../../src/domain/time"
import { catchUpProjections } from "../../src/programs/catch-up"
import { errorLine, primaryError } from "../../src/programs/cli/cli-errors"
import { readForecastStream } from "../../src/programs/forecast/log"
import { issueForecast, type ForecastRequest } from "../../src/programs/forecast/issue"
import { reproduceForecast } from "../../src/programs/forecast/reproduce"
import { calibration, scoreForecasts } from "../../src/programs/forecast/score"
import { forecasterOf } from "../../src/domain/backtest/derived"
import { importRows } from "../../src/programs/import/program"
import { loadKnowledge } from "../../src/programs/knowledge"
import { latestFitOrigin } from "../../src/domain/backtest/origins"
import { fitLatest } from "../../src/programs/train/fit-latest"
import { runBacktest } from "../../src/programs/train/backtest-run"
import { forecastsProjection } from "../../src/projections/forecasts"
import { forecastBrackets, forecastById, forecastHours, listForecasts } from "../../src/projections/queries/forecasts"
import { verify } from "../../src/projections/verify"
import { withTempDataDir } from "../support/pglite"
import { crpsByDefinition } from "../support/crps-reference"
import { SHARED_CSV } from "../support/shared-data"
import { recordingConsole } from "../support/cli"

const CSV = SHARED_CSV
const ALL = ["post", "reply", "quote", "retweet"] as const

const root = withTempDataDir("mt-forecast-")
const layer = Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(join(root, "store")))).pipe(Layer.provideMerge(recordingConsole()))
let rt: ManagedRuntime.ManagedRuntime<Layer.Layer.Success<typeof layer>, Layer.Layer.Error<typeof layer>>
const run = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof layer>>) => rt.runPromise(effect)

let early: ArchiveRow[] = []
let late: ArchiveRow[] = []
/** Default origin of the early data (the first forecasts are made there). */
let origin0 = 0
const fitted = new Map<ModelKind, string>()

/** Tweets of the CSV (all kinds) created in [from, to): the independent count. */
const csvCount = (rows: ReadonlyArray<ArchiveRow>, from: number, to: number) => rows.filter((r) => r.createdAt >= from && r.createdAt < to).length

const request = (r: Partial<ForecastRequest>): ForecastRequest => ({ account: "elonmusk", model: "seasonal_naive", horizonHours: 168, countKinds: ALL, paths: 1000, seed: 7, now: Date.now(), ...r })

const expectReproduces = async (forecastId: string) => {
  const r = await run(reproduceForecast(forecastId))
  expect(r.differences).toEqual([])
  expect(r.reproduced).toBeDefined()
  expect(r.compared).toBeGreaterThan(100)
  return r
}

/** A backtest of three quick models on the latest `origins` Mondays before `dataEnd`. */
const smallBacktest = (
  loaded: { readonly knowledge: Parameters<typeof runBacktest>[0]["knowledge"]; readonly watermark: bigint },
  dataEnd: number,
  o: { readonly origins: number; readonly weeks: number; readonly paths: number; readonly seed: number }
) =>
  runBacktest({
    account: "elonmusk",
    knowledge: loaded.knowledge,
    watermark: loaded.watermark,
    models: ["negative_binomial", "seasonal_naive", "poisson_seasonal"],
    origins: latestOrigins(dataEnd, o.origins),
    trainWindow: { _tag: "Weeks", weeks: o.weeks },
    protocol: "custom",
    dataEnd,
    paths: o.paths,
    seed: o.seed,
    workers: 1
  })

beforeAll(async () => {
  rt = ManagedRuntime.make(layer)
  const rows = [...(await Effect.runPromise(readArchive(CSV)))]
  const last = Math.max(...rows.map((r) => r.createdAt))
  const from = hourFloor(last) - 12 * WEEK_MS
  // The last 12 weeks; the final two days arrive "later" (after the first forecasts).
  const cut = hourFloor(last) - 48 * HOUR_MS
  early = rows.filter((r) => r.createdAt >= from && r.createdAt < cut)
  late = rows.filter((r) => r.createdAt >= cut)
  await run(importRows(early, "elonmusk", "csv slice"))
  await run(catchUpProjections)

  // Every model fitted on 3 weeks at the default origin, and a small backtest for the ensemble weights.
  const loaded = await run(loadKnowledge({ account: "elonmusk", kinds: ALL }))
  origin0 = latestFitOrigin(loaded.lastTweetAt!, Date.now())
  const fits = await run(
    fitLatest({ account: "elonmusk", knowledge: loaded.knowledge, watermark: loaded.watermark, models: MODEL_KINDS, trainWindow: { _tag: "Weeks", weeks: 3 }, origin: origin0, countKinds: ALL, workers: 1 })
  )
  for (const f of fits) fitted.set(f.kind, f.modelId)
  await run(smallBacktest(loaded, origin0, { origins: 2, weeks: 3, paths: 500, seed: 3 }))
}, 300_000)

afterAll(async () => {
  await rt.dispose()
})

describe("issue and reproduce", () => {
  it("every model's forecast uses its fit and reproduces exactly from the log", async () => {
    expect([...fitted.keys()].sort()).toEqual([...MODEL_KINDS].sort())
    for (const kind of MODEL_KINDS) {
      const { data } = await run(issueForecast(request({ model: kind })))
      expect(data.model).toBe(kind)
      expect(data.members).toHaveLength(1)
      expect(data.members[0]).toMatchObject({ kind, modelId: fitted.get(kind), weight: 1, paths: 1000, refitted: false })
      expect(data.origin).toBe(new Date(origin0).toISOString().replace(".000Z", "Z"))
      expect(data.result.hourly.mean).toHaveLength(168)
      expect(data.notes).toEqual([])
      await expectReproduces(data.forecastId)
    }
  }, 300_000)

  it("the ensemble's weights come from the latest backtest, are recorded, and reproduce", async () => {
    const { data } = await run(issueForecast(request({ model: "ensemble", horizonHours: 48 })))
    expect(data.model).toBe("ensemble")
    const e = data.ensemble!
    expect(e.candidates).toEqual(["negative_binomial", "seasonal_naive", "poisson_seasonal"])
    expect(e.origins).toHaveLength(2)
    expect(e.fittedWeights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(e.meanCrps).toBeLessThanOrEqual(Math.min(...e.candidateCrps) + 1e-9)
    expect(data.members.reduce((s, m) => s + m.weight, 0)).toBeCloseTo(1, 12)
    expect(data.members.reduce((s, m) => s + m.paths, 0)).toBe(1000)
    for (const m of data.members) expect(m.modelId).toBe(fitted.get(m.kind))
    expect(data.notes[0]).toMatch(/^ensemble weights fitted on backtest/)
    await expectReproduces(data.forecastId)
  }, 120_000)

  it("best is the lowest week CRPS of the latest backtest, and says so", async () => {
    const { data } = await run(issueForecast(request({ model: "best", horizonHours: 24 })))
    expect(["negative_binomial", "seasonal_naive", "poisson_seasonal"]).toContain(data.model)
    expect(data.requested).toBe("best")
    expect(data.notes[0]).toMatch(new RegExp(`^best model: ${data.model} \\(lowest mean week CRPS`))
  }, 60_000)
})

describe("windows, nowcasting and brackets", () => {
  let nowcast: ForecastIssuedData

  it("adds the tweets observed in [start, origin) exactly, and the brackets count the paths", async () => {
    const brackets = parseBrackets("0-99,100-149,150-199,200-249,250+") as ReadonlyArray<Bracket>
    const start = origin0 - 30 * HOUR_MS
    const { data } = await run(issueForecast(request({ horizonHours: undefined, window: { start, end: origin0 + 18 * HOUR_MS }, brackets, paths: 2000 })))
    nowcast = data
    const r = data.result
    expect(r.observed).toEqual({ count: csvCount(early, start, origin0), hours: 30 })
    expect(r.observed.count).toBeGreaterThan(0)
    expect(r.hourly.mean).toHaveLength(18)
    expect(r.hourly.start).toBe(data.origin)
    r.total.quantiles.forEach((q, i) => expect(q.value).toBe(r.remaining.quantiles[i]!.value + r.observed.count))
    expect(r.total.mean).toBe(r.remaining.mean + r.observed.count)
    expect(r.days.reduce((s, d) => s + d.observed, 0)).toBe(r.observed.count)
    // Brackets: the window totals of the recorded paths, counted directly.
    const totals = Array.from(expandSample(r.sample), (x) => x + r.observed.count)
    expect(totals).toHaveLength(2000)
    const bs = r.brackets!
    expect(bs.map((b) => b.label)).toEqual(["0-99", "100-149", "150-199", "200-249", "250+"])
    expect(bs.reduce((s, b) => s + b.count, 0)).toBe(2000)
    expect(Math.abs(bs.reduce((s, b) => s + b.probability, 0) - 1)).toBeLessThan(1e-12)
    bs.forEach((b) => expect(b.count).toBe(totals.filter((x) => (b.lo === 0 || x >= b.lo) && (b.hi === null || x < b.hi + 1)).length))
    await expectReproduces(data.forecastId)
  }, 60_000)

  it("is in the read models: the forecast row, every hour, every bracket", async () => {
    await run(catchUpProjections)
    const row = await run(forecastById(nowcast.forecastId))
    expect(row).toMatchObject({ model: "seasonal_naive", paths: 2000, observed: { count: nowcast.result.observed.count, hours: 30 } })
    expect(row!.total).toEqual(nowcast.result.total)
    const hours = await run(forecastHours(nowcast.forecastId))
    expect(hours.map((h) => h.mean)).toEqual(nowcast.result.hourly.mean)
    expect(hours.map((h) => h.q90)).toEqual(nowcast.result.hourly.q90)
    const brackets = await run(forecastBrackets(nowcast.forecastId))
    expect(brackets).toEqual(nowcast.result.brackets)
  })

  it("refuses a window that has already ended and a --from after the data, appending nothing", async () => {
    const before = await run(Effect.flatMap(EventStore, (s) => s.lastPosition))
    const ended = await rt.runPromiseExit(issueForecast(request({ horizonHours: undefined, window: { start: origin0 - 48 * HOUR_MS, end: origin0 } })))
    expect(JSON.stringify(ended)).toMatch(/UsageError/)
    expect(JSON.stringify(ended)).toMatch(/ended at or before the forecast origin/)
    const future = await rt.runPromiseExit(issueForecast(request({ from: origin0 + 5 * HOUR_MS })))
    expect(JSON.stringify(future)).toMatch(/is after the end of the data/)
    expect(await run(Effect.flatMap(EventStore, (s) => s.lastPosition))).toBe(before)
  })

  it("a forecast made before later tweets arrive reproduces identically after they do", async () => {
    await run(importRows(late, "elonmusk", "later tweets"))
    await run(catchUpProjections)
    const r = await expectReproduces(nowcast.forecastId)
    expect(r.reproduced!.result).toEqual(nowcast.result)
    // A new forecast now starts later, reads more of the log, and has to refit (saying so).
    const { data } = await run(issueForecast(request({ horizonHours: 24 })))
    expect(parseInstant(data.origin)!).toBeGreaterThan(origin0)
    expect(BigInt(data.watermark)).toBeGreaterThan(BigInt(nowcast.watermark))
    expect(data.members[0]!.refitted).toBe(true)
    expect(data.notes.join("\n")).toMatch(/refitted seasonal_naive on .* \(model [0-9a-f-]{36}\): the newest seasonal_naive fit was trained up to .* h before the origin \(more than 24 h\)/)
    await expectReproduces(data.forecastId)
  }, 120_000)

  it("counting other kinds refits on those kinds", async () => {
    const { data } = await run(issueForecast(request({ model: "poisson_seasonal", horizonHours: 24, countKinds: ["post", "quote", "retweet"] })))
    expect(data.countKinds).toEqual(["post", "quote", "retweet"])
    expect(data.members[0]!.refitted).toBe(true)
    expect(data.notes.join("\n")).toMatch(/no poisson_seasonal fit counts post, quote, retweet/)
    await expectReproduces(data.forecastId)
  }, 60_000)
})

describe("scoring", () => {
  it("scores ended windows once, with the CRPS of the recorded sample against the actual count", async () => {
    const end = hourFloor(Math.max(...late.map((r) => r.createdAt)))
    const from = end - 5 * 24 * HOUR_MS
    const { data } = await run(issueForecast(request({ model: "negative_binomial", horizonHours: 24, from, paths: 800 })))
    expect(data.origin).toBe(new Date(from).toISOString().replace(".000Z", "Z"))
    expect(data.members[0]!.refitted).toBe(true)
    const first = await run(scoreForecasts("elonmusk", Date.now()))
    const mine = first.scored.find((s) => s.forecastId === data.forecastId)!
    expect(mine).toBeDefined()
    const actual = csvCount([...early, ...late], from, from + 24 * HOUR_MS)
    expect(mine.actual).toBe(actual)
    const totals = Array.from(expandSample(data.result.sample), (x) => x + data.result.observed.count)
    expect(mine.crps).toBeCloseTo(crpsByDefinition(totals, actual), 9)
    const sorted = [...totals].sort((a, b) => a - b)
    const q = (p: number) => {
      const h = (sorted.length - 1) * p
      return sorted[Math.floor(h)]! + (h - Math.floor(h)) * (sorted[Math.min(sorted.length - 1, Math.floor(h) + 1)]! - sorted[Math.floor(h)]!)
    }
    expect(mine.inside80).toBe(q(0.1) <= actual && actual <= q(0.9))
    expect(mine.inside50).toBe(q(0.25) <= actual && actual <= q(0.75))
    const stream = await run(readForecastStream(data.forecastId))
    expect(stream!.scored).toEqual({ forecastId: data.forecastId, actual, crps: mine.crps, logScore: mine.logScore, pit: mine.pit, inside50: mine.inside50, inside80: mine.inside80, inside95: mine.inside95, watermark: mine.watermark })
    // Windows that have not ended wait; a second run appends nothing new.
    const again = await run(scoreForecasts("elonmusk", Date.now()))
    expect(again.scored).toEqual([])
    const rows = await run(listForecasts())
    expect(rows.find((r) => r.forecastId === data.forecastId)!.score).toMatchObject({ actual, crps: mine.crps })
    expect(again.pending).toBe(rows.filter((r) => r.score === null).length)
    expect(again.pending).toBeGreaterThan(0)
  }, 120_000)
})

describe("the forecasts projection", () => {
  it("rebuilt from zero, in one batch or in small ones, equals the tables built as the commands ran", async () => {
    await run(catchUpProjections)
    for (const batchSize of [7, 5000]) {
      const report = await run(verify(forecastsProjection, { batchSize }))
      expect(report.differences, JSON.stringify(report.tables, (_, v) => (typeof v === "bigint" ? String(v) : v))).toBe(0)
      expect(report.tables.find((t) => t.table === "forecasts")!.liveRows).toBeGreaterThanOrEqual(10)
      expect(report.tables.find((t) => t.table === "forecast_scores")!.liveRows).toBeGreaterThanOrEqual(1)
      expect(report.tables.find((t) => t.table === "forecast_brackets")!.liveRows).toBe(5)
    }
  }, 120_000)
})

describe("forecast --calibrate", () => {
  it("recalibrates the window total from the model's PITs in the reference backtest, says so, records it, and reproduces", async () => {
    // Without enough earlier backtest weeks it refuses, naming the fix.
    const tooFew = await rt.runPromiseExit(issueForecast(request({ model: "poisson_seasonal", calibrate: true })))
    expect(Exit.isFailure(tooFew) ? errorLine(primaryError(tooFew.cause)) : "succeeded").toMatch(/--calibrate needs 10 backtest weeks of poisson_seasonal .* has 2/)
    // A reference backtest with ten weeks of the model (more origins than the first one, same models).
    const loaded = await run(loadKnowledge({ account: "elonmusk", kinds: ALL }))
    // poisson_seasonal fits on one week: ten weeks of windows fit in the data
    await run(smallBacktest(loaded, latestFitOrigin(loaded.lastTweetAt!, Date.now()), { origins: 10, weeks: 1, paths: 300, seed: 5 }))
    const raw = await run(issueForecast(request({ model: "poisson_seasonal" })))
    const cal = await run(issueForecast(request({ model: "poisson_seasonal", calibrate: true })))
    expect(cal.data.calibration).toMatchObject({ atDays: 0, windows: 10 })
    expect(cal.data.notes.join("\n")).toMatch(/recalibrated the window total from poisson_seasonal's PITs over 10 earlier weeks/)
    // the hourly fan is the model's; the total's distribution is mapped
    expect(cal.data.result.hourly.mean).toEqual(raw.data.result.hourly.mean)
    expect(cal.data.result.total.quantiles).not.toEqual(raw.data.result.total.quantiles)
    await expectReproduces(cal.data.forecastId)
    // The read model keeps the recalibration: listings and running scores name it poisson_seasonal+cal.
    await run(catchUpProjections)
    const listed = await run(listForecasts({ limit: 2 }))
    expect(listed.map((r) => [r.forecastId, r.calibration, forecasterOf(r.model, r.calibration !== null)])).toEqual([
      [cal.data.forecastId, { backtestId: cal.data.calibration!.backtestId, atDays: 0, windows: 10 }, "poisson_seasonal+cal"],
      [raw.data.forecastId, null, "poisson_seasonal"]
    ])
    const scoredAs = (r: (typeof listed)[number], actual: number) => ({ ...r, score: { actual, crps: 1, logScore: 2, pit: 0.5, inside50: true, inside80: true, inside95: true, watermark: "1", scoredAt: 0 } })
    expect(calibration([scoredAs(listed[0]!, 10), scoredAs(listed[1]!, 20)]).map((l) => [l.model, l.n])).toEqual([
      ["all", 2],
      ["poisson_seasonal", 1],
      ["poisson_seasonal+cal", 1]
    ])
    // the ensemble is not one model
    const ensemble = await rt.runPromiseExit(issueForecast(request({ model: "ensemble", calibrate: true })))
    expect(Exit.isFailure(ensemble) ? errorLine(primaryError(ensemble.cause)) : "succeeded").toMatch(/--calibrate recalibrates one model/)
  }, 300_000)
})
