/** Which backtest a comparison rests on: a later small run does not replace a full comparison. */
import { describe, expect, it } from "vitest"
import type { ModelKind } from "../../src/domain/models/model"
import { chooseReferenceRun, type BacktestRow } from "../../src/projections/queries/backtests"

const run = (id: string, position: bigint, models: ModelKind[], origins: number, status: "started" | "completed" = "completed"): BacktestRow => ({
  backtestId: id,
  account: "elonmusk",
  status,
  startedAt: 0,
  completedAt: status === "completed" ? 1 : null,
  models,
  origins: Array.from({ length: origins }, (_, i) => i),
  trainWindow: "8w",
  protocol: "custom",
  paths: 2000,
  seed: 42,
  featureSpecHash: null,
  watermark: 0n,
  windows: 0,
  codeVersion: "x",
  position
})

describe("chooseReferenceRun", () => {
  it("prefers the run with the most models, then the most origins, then the newest; ignores runs not completed", () => {
    const full = run("full", 10n, ["hawkes", "ewma_level", "seasonal_naive"], 25)
    const laterSmall = run("small", 20n, ["hawkes"], 4)
    const laterFewerOrigins = run("fewer", 30n, ["hawkes", "ewma_level", "seasonal_naive"], 12)
    const unfinished = run("running", 40n, ["hawkes", "ewma_level", "seasonal_naive", "sarimax"], 25, "started")
    expect(chooseReferenceRun([laterSmall, full, laterFewerOrigins, unfinished])?.backtestId).toBe("full")
    const newerSame = run("newer", 50n, ["hawkes", "ewma_level", "seasonal_naive"], 25)
    expect(chooseReferenceRun([full, newerSame, laterSmall])?.backtestId).toBe("newer")
    expect(chooseReferenceRun([unfinished])).toBeUndefined()
  })
})
