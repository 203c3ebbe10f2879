/**
 * `forecast --calibrate`: the window total of a single model's forecast recalibrated from the model's
 * own PITs in a backtest (src/domain/backtest/calibration.ts, the same mapping `<model>+cal` is scored
 * with), at the issue-time offset nearest the forecast's: the week ahead when the window has not
 * started, else 1, 3 or 5 days into it. Only backtest weeks that ended by the forecast's origin count.
 * The hourly fan stays the model's; the total, the remaining part and the brackets are recalibrated.
 */
import { CALIBRATION_MAX_WINDOWS, recalibrateSorted } from "../backtest/calibration"
import { NOWCAST_DAYS } from "../backtest/evaluate-window"
import { TOTAL_QUANTILES } from "../models/model"
import { WEEK_MS } from "../time"
import type { ForecastPlan } from "./plan"
import type { Bracket } from "./brackets"
import { forecastResult, type ForecastOutcome } from "./run"
import { distribution, windowTotalsSorted, type WindowSummary } from "./summary"

export type CalibrationOffset = 0 | (typeof NOWCAST_DAYS)[number]

/** The backtest offset matching a forecast: 0 before the window starts, else the nowcast day nearest the observed part. */
export const calibrationOffset = (plan: ForecastPlan): CalibrationOffset => {
  if (plan.observedHours === 0) return 0
  const days = plan.observedHours / 24
  return [...NOWCAST_DAYS].sort((a, b) => Math.abs(a - days) - Math.abs(b - days) || a - b)[0]!
}

export interface BacktestPits {
  readonly origin: number
  /** PIT of the week total at the origin (offset 0) and at each nowcast offset. */
  readonly pits: ReadonlyMap<CalibrationOffset, number>
}

/** PITs of the backtest weeks that ended by `origin`, the most recent CALIBRATION_MAX_WINDOWS, oldest first. */
export const pastPits = (windows: ReadonlyArray<BacktestPits>, origin: number, offset: CalibrationOffset): number[] =>
  [...windows]
    .filter((w) => w.origin + WEEK_MS <= origin && w.pits.has(offset))
    .sort((a, b) => a.origin - b.origin)
    .slice(-CALIBRATION_MAX_WINDOWS)
    .map((w) => w.pits.get(offset)!)

/** The summary with its window total recalibrated by `pits` (the hourly fan unchanged). */
export const calibrateSummary = (s: WindowSummary, pits: ReadonlyArray<number>): WindowSummary => {
  const totals = windowTotalsSorted(s)
  const calibrated = recalibrateSorted(totals, pits, totals.length)
  const remainingSorted = calibrated.map((x) => Math.max(0, x - s.observed)).sort()
  return {
    ...s,
    remainingSorted,
    total: distribution(remainingSorted, TOTAL_QUANTILES, s.observed),
    remaining: distribution(remainingSorted, TOTAL_QUANTILES)
  }
}

/** The forecast outcome with its window total recalibrated (result and brackets rebuilt from it). */
export const calibrateOutcome = (o: ForecastOutcome, pits: ReadonlyArray<number>, brackets?: ReadonlyArray<Bracket>): ForecastOutcome => {
  const summary = calibrateSummary(o.summary, pits)
  return { ...o, summary, result: forecastResult(summary, brackets) }
}
