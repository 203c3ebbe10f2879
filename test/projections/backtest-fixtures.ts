/** Hand-made backtest events shared by the backtests projection and `backtest` program tests. */
import { BacktestCompleted, BacktestStarted, BacktestWindowEvaluated, type BacktestWindowEvaluatedData } from "../../src/domain/events/backtest"
import { TweetObserved } from "../../src/domain/events/tweet"
import type { WindowMetrics } from "../../src/domain/metrics/evaluate"
import type { ModelKind } from "../../src/domain/models/model"

export const RUN_A = "6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e01"
export const RUN_B = "0a5d1c44-9b7e-4f61-a2d3-c4b5a6978801"
export const ORIGINS = ["2025-07-07T00:00:00Z", "2025-07-14T00:00:00Z"]

export const metrics = (scale: number, inside80: 0 | 1, mase: number | null): WindowMetrics => ({
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

export const forecast = (level: number) => ({
  hourlyMean: Array.from({ length: 168 }, (_, h) => level + (h % 24) / 10),
  totalQuantiles: [
    { level: 0.1, value: level * 150 },
    { level: 0.5, value: level * 168 },
    { level: 0.9, value: level * 190 }
  ],
  totalMean: level * 170
})

export const window = (backtestId: string, model: ModelKind, origin: string, scale: number, inside80: 0 | 1, mase: number | null): BacktestWindowEvaluatedData => ({
  backtestId,
  model,
  origin,
  metrics: metrics(scale, inside80, mase),
  forecast: forecast(scale * 2),
  fitSeconds: 0.125 * scale
})

export const summary = (model: ModelKind, crps: number, failures?: Array<{ origin: string; reason: string }>) => ({
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

export const tweet = (id: string) => ({
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

export const events = [
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
