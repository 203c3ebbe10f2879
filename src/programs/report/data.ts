/**
 * Everything the report shows, read from the read models after catching up: daily counts, detected
 * regime shifts, the latest forecast, the reference backtest (the completed run with the most models, then
 * origins, then the newest: averages and windows) and the
 * latest fit of each model kind. Each part may be absent; the page says so instead of failing.
 */
import { Effect } from "effect"
import { SqlDatabase } from "../../adapters/sql/database"
import { MODEL_KINDS } from "../../domain/models/model"
import { dayFloor, DAY_MS, HOUR_MS } from "../../domain/time"
import { dailyCounts, hourlyCounts, type CountBucket } from "../../projections/queries/counts"
import { referenceBacktestSummaries, backtestWindows, type BacktestRow, type BacktestSummaryRow, type BacktestWindowRow } from "../../projections/queries/backtests"
import { latestModelFitted, type ModelRow } from "../../projections/queries/models"
import { regimesList, type RegimeRow } from "../../projections/queries/regimes"
import { dataExtent } from "../../projections/queries/counts"
import { latestForecastView, type ForecastView } from "./forecast-view"

export interface ReportBacktest {
  readonly run: BacktestRow
  readonly summaries: ReadonlyArray<BacktestSummaryRow>
  readonly windows: ReadonlyArray<BacktestWindowRow>
}

export interface ReportForecast {
  readonly view: ForecastView
  /** Observed hourly counts for context: up to CONTEXT_HOURS before the fan, and actuals inside it. */
  readonly observed: ReadonlyArray<{ readonly hour: number; readonly count: number }>
}

export interface ReportData {
  /** The account the report is about. */
  readonly account: string
  readonly generatedAt: number
  readonly store: string
  /** First and last tweet instants in the read model. */
  readonly extent: { readonly first: number; readonly last: number } | undefined
  readonly daily: ReadonlyArray<CountBucket>
  readonly regimes: ReadonlyArray<RegimeRow>
  readonly forecast: ReportForecast | undefined
  readonly backtest: ReportBacktest | undefined
  /** The latest ModelFitted of each kind that has one, in MODEL_KINDS order. */
  readonly fits: ReadonlyArray<ModelRow>
}

/** Hours of observed counts shown before the first forecast hour. */
export const CONTEXT_HOURS = 72

export const loadReportData = (account: string, now: number, backtestId?: string) =>
  Effect.gen(function* () {
    const { describe } = yield* SqlDatabase
    const extent = yield* dataExtent(account)
    const daily = extent === undefined ? [] : yield* dailyCounts({ account, from: dayFloor(extent.first), to: dayFloor(extent.last) + DAY_MS })
    const regimes = yield* regimesList({ account })

    const view = yield* latestForecastView(account)
    let forecast: ReportForecast | undefined
    if (view !== undefined) {
      const from = view.hourly.start - CONTEXT_HOURS * HOUR_MS
      const end = view.hourly.start + view.hourly.mean.length * HOUR_MS
      // actual counts only up to the newest tweet's hour: later hours are unknown, not zero
      const to = extent === undefined ? from : Math.min(end, Math.floor(extent.last / HOUR_MS) * HOUR_MS + HOUR_MS)
      const buckets = to > from ? yield* hourlyCounts({ account, from, to }) : []
      forecast = { view, observed: buckets.map((b) => ({ hour: b.bucketStart, count: b.count })) }
    }

    const latest = yield* referenceBacktestSummaries(account, backtestId)
    const backtest =
      latest === undefined ? undefined : { run: latest.backtest, summaries: latest.summaries, windows: yield* backtestWindows(latest.backtest.backtestId) }

    const fits: ModelRow[] = []
    for (const kind of MODEL_KINDS) {
      const fit = yield* latestModelFitted(account, kind)
      if (fit !== undefined) fits.push(fit)
    }
    return { account, generatedAt: now, store: describe, extent, daily, regimes, forecast, backtest, fits } satisfies ReportData
  })
