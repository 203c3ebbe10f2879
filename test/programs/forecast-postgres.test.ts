/**
 * The forecast path on PostgreSQL (event log and read models in a throwaway database on the real
 * server): a nowcast with brackets issued from the read models reproduces exactly from the log, and
 * is scored against the CSV's own count once its window has ended.
 */
import { Effect, Exit, Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readArchive } from "../../src/adapters/archive/read-archive"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePostgres } from "../../src/adapters/sql/postgres"
import type { ArchiveRow } from "../../src/domain/archive/csv"
import { parseBrackets, type Bracket } from "../../src/domain/forecast/brackets"
import { EventStore } from "../../src/domain/ports/event-store"
import { HOUR_MS, hourFloor, WEEK_MS } from "../../src/domain/time"
import { errorLine, primaryError } from "../../src/programs/cli/cli-errors"
import { issueForecast } from "../../src/programs/forecast/issue"
import { reproduceForecast } from "../../src/programs/forecast/reproduce"
import { scoreForecasts } from "../../src/programs/forecast/score"
import { importRows } from "../../src/programs/import/program"
import { withTempDatabase } from "../support/postgres"
import { SHARED_CSV } from "../support/shared-data"
import { recordingConsole } from "../support/cli"

const CSV = SHARED_CSV
const ALL = ["post", "reply", "quote", "retweet"] as const
const pg = withTempDatabase()

const makeLayer = () => Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePostgres(pg.url()))).pipe(Layer.provideMerge(recordingConsole()))
let rt: ManagedRuntime.ManagedRuntime<Layer.Layer.Success<ReturnType<typeof makeLayer>>, Layer.Layer.Error<ReturnType<typeof makeLayer>>>
let rows: ArchiveRow[] = []
let end = 0

beforeAll(async () => {
  rt = ManagedRuntime.make(makeLayer())
  const all = await Effect.runPromise(readArchive(CSV))
  end = hourFloor(Math.max(...all.map((r) => r.createdAt))) + HOUR_MS
  rows = all.filter((r) => r.createdAt >= end - 10 * WEEK_MS)
  await rt.runPromise(importRows(rows, "elonmusk", "csv slice"))
}, 120_000)

afterAll(async () => {
  await rt.dispose()
})

describe("forecast on PostgreSQL", () => {
  it("issues a nowcast with brackets, reproduces it from the log, and scores it", async () => {
    const origin = end - 3 * 24 * HOUR_MS
    const window = { start: origin - 20 * HOUR_MS, end: origin + 28 * HOUR_MS }
    const brackets = parseBrackets("<100,100-149,150+") as ReadonlyArray<Bracket>
    const { data } = await rt.runPromise(
      issueForecast({ account: "elonmusk", model: "seasonal_naive", window, from: origin, brackets, countKinds: ALL, paths: 1000, seed: 5, now: Date.now() })
    )
    expect(data.result.observed.count).toBe(rows.filter((r) => r.createdAt >= window.start && r.createdAt < origin).length)
    expect(data.members[0]!.refitted).toBe(true)
    expect(data.result.brackets!.reduce((s, b) => s + b.count, 0)).toBe(1000)
    const r = await rt.runPromise(reproduceForecast(data.forecastId))
    expect(r.compared).toBeGreaterThan(100)
    expect(r.differences).toEqual([])
    const scored = await rt.runPromise(scoreForecasts("elonmusk", Date.now()))
    const mine = scored.scored.find((s) => s.forecastId === data.forecastId)!
    expect(mine.actual).toBe(rows.filter((r) => r.createdAt >= window.start && r.createdAt < window.end).length)
  }, 120_000)
})

describe("too little history for a refit", () => {
  it("says how far back the training window would reach and how to fit a shorter one, appending nothing", async () => {
    const before = await rt.runPromise(Effect.flatMap(EventStore, (s) => s.lastPosition))
    const from = end - 10 * WEEK_MS + 3 * WEEK_MS
    const exit = await rt.runPromiseExit(issueForecast({ account: "elonmusk", model: "poisson_seasonal", horizonHours: 24, from, countKinds: ALL, paths: 200, seed: 1, now: Date.now() }))
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    expect(errorLine(primaryError(exit.cause))).toMatch(
      /cannot fit poisson_seasonal at \S+ \(no poisson_seasonal model has been fitted yet\): its 8-week training window would start at \S+, before the tweet record \(\S+\); fit it on a shorter window first: musktracker train --model poisson_seasonal --train-window <weeks>w/
    )
    expect(await rt.runPromise(Effect.flatMap(EventStore, (s) => s.lastPosition))).toBe(before)
  })
})
