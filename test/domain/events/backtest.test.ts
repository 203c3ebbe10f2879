import { describe, expect, it } from "vitest"
import { Either } from "effect"
import {
  BacktestCompleted,
  BacktestStarted,
  BacktestWindowEvaluated,
  backtestStream,
  forecastSummaryPayload,
  modelBacktestSummary
} from "../../../src/domain/events/backtest"
import { EventEncodeError } from "../../../src/domain/events/codec"
import type { NewEvent, RecordedEvent } from "../../../src/domain/events/envelope"
import { averageOverOrigins, evaluateForecast } from "../../../src/domain/metrics/evaluate"
import { summarizePaths, TOTAL_QUANTILES } from "../../../src/domain/models/model"

const ID = "6f1c2f0e-8a55-4a36-9a39-1d7a0d6f7f10"
const ORIGIN = Date.parse("2025-07-07T00:00:00Z")
const record = (event: NewEvent, stream: string): RecordedEvent => ({
  ...JSON.parse(JSON.stringify(event)),
  stream,
  revision: 0,
  position: 5n,
  recordedAt: new Date(0)
})

const paths = () => {
  const values = new Float64Array(3 * 168)
  for (let i = 0; i < values.length; i++) values[i] = (i % 168) % 4 + Math.floor(i / 168)
  return { origin: ORIGIN, hours: 168, paths: 3, values }
}

describe("backtest events", () => {
  it("BacktestStarted round-trips and validates its fields", () => {
    const data = {
      backtestId: ID,
      models: ["seasonal_naive", "hawkes"] as const,
      origins: ["2025-07-07T00:00:00Z", "2025-07-14T00:00:00Z"],
      trainWindow: "8w",
      protocol: "dev",
      paths: 2000,
      seed: 42,
      watermark: "70233"
    }
    const { stream, event } = BacktestStarted.toAppend(data, { codeVersion: "t" })
    expect(stream).toBe(backtestStream(ID))
    const decoded = BacktestStarted.decode(record(event, stream))
    expect(Either.isRight(decoded) && decoded.right.data).toEqual(data)
    expect(() => BacktestStarted.encode({ ...data, trainWindow: "8 weeks" }, { codeVersion: "t" })).toThrow(EventEncodeError)
    expect(() => BacktestStarted.encode({ ...data, watermark: "-1" }, { codeVersion: "t" })).toThrow(EventEncodeError)
    expect(() => BacktestStarted.encode({ ...data, models: ["arima" as never] }, { codeVersion: "t" })).toThrow(EventEncodeError)
    expect(BacktestStarted.encode({ ...data, trainWindow: "since-regime" }, { codeVersion: "t" }).type).toBe("BacktestStarted")
  })

  it("BacktestWindowEvaluated carries evaluateForecast's metrics and the forecast summary", () => {
    const sp = paths()
    const actual = Array.from({ length: 168 }, (_, h) => h % 3)
    const metrics = evaluateForecast(sp, actual, { trainingCounts: Array.from({ length: 336 }, (_, h) => h % 5) })
    const summary = summarizePaths(sp)
    const data = { backtestId: ID, model: "seasonal_naive" as const, origin: "2025-07-07T00:00:00Z", metrics, forecast: forecastSummaryPayload(summary), fitSeconds: 0.01 }
    expect(data.forecast.totalQuantiles.map((q) => q.level)).toEqual([...TOTAL_QUANTILES])
    expect(data.forecast.hourlyMean).toHaveLength(168)
    const { stream, event } = BacktestWindowEvaluated.toAppend(data, { codeVersion: "t" })
    const decoded = BacktestWindowEvaluated.decode(record(event, stream))
    expect(Either.isRight(decoded) && decoded.right.data).toEqual(data)
    // one (model, origin) of one backtest is one fact
    expect(event.id).toBe(BacktestWindowEvaluated.encode({ ...data, fitSeconds: 9 }, { codeVersion: "t" }).id)
    expect(event.id).not.toBe(BacktestWindowEvaluated.encode({ ...data, model: "hawkes" }, { codeVersion: "t" }).id)
  })

  it("BacktestCompleted summarises each model", () => {
    const metrics = evaluateForecast(paths(), Array.from({ length: 168 }, () => 1))
    const s = modelBacktestSummary("seasonal_naive", averageOverOrigins([metrics, metrics]), 0.02, [{ origin: "2025-07-14T00:00:00Z", reason: "too short" }])
    expect(s.origins).toBe(2)
    expect(s.cover80_week).toBe(metrics.inside80_week)
    const data = { backtestId: ID, summary: [s] }
    const { stream, event } = BacktestCompleted.toAppend(data, { codeVersion: "t" })
    const decoded = BacktestCompleted.decode(record(event, stream))
    expect(Either.isRight(decoded) && decoded.right.data).toEqual(data)
    expect(() => BacktestCompleted.encode({ backtestId: ID, summary: [{ ...s, cover80_week: 2 }] }, { codeVersion: "t" })).toThrow(EventEncodeError)
  })
})
