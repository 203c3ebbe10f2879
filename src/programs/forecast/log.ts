/** Reading a forecast's own stream and a backtest's windows straight from the log. */
import { Effect, Stream } from "effect"
import { BacktestWindowEvaluated, backtestStream, type BacktestWindowEvaluatedData } from "../../domain/events/backtest"
import { decodeCatalogEvent } from "../../domain/events/catalog"
import { ForecastIssued, ForecastScored, forecastStream, type ForecastIssuedData, type ForecastScoredData } from "../../domain/events/forecast"
import type { BacktestWindowAtoms } from "../../domain/forecast/ensemble-windows"
import type { BacktestPits, CalibrationOffset } from "../../domain/forecast/calibrate"
import { isModelKind, type ModelKind } from "../../domain/models/model"
import { EventStore } from "../../domain/ports/event-store"
import { parseInstant } from "../../domain/time"

export interface ForecastStream {
  readonly issued: ForecastIssuedData
  readonly issuedAt: number
  readonly position: bigint
  readonly scored?: ForecastScoredData
  /** Stream revision of the last event (0 when only ForecastIssued). */
  readonly revision: number
}

/** The forecast's events, or undefined when the stream has no ForecastIssued. */
export const readForecastStream = (forecastId: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const events = yield* Stream.runCollect(store.readStream(forecastStream(forecastId.toLowerCase())))
    let out: { -readonly [K in keyof ForecastStream]: ForecastStream[K] } | undefined
    for (const recorded of events) {
      const e = yield* decodeCatalogEvent(recorded)
      if (ForecastIssued.is(e)) out = { issued: e.data, issuedAt: e.recordedAt.getTime(), position: e.position, revision: e.revision }
      else if (ForecastScored.is(e) && out !== undefined) {
        out.scored = e.data
        out.revision = e.revision
      }
    }
    return out as ForecastStream | undefined
  })

/** Every BacktestWindowEvaluated of a backtest, as recorded in its stream. */
const backtestWindowEvents = (backtestId: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const events = yield* Stream.runCollect(store.readStream(backtestStream(backtestId)))
    const out: BacktestWindowEvaluatedData[] = []
    for (const recorded of events) {
      const e = yield* decodeCatalogEvent(recorded)
      if (BacktestWindowEvaluated.is(e)) out.push(e.data)
    }
    return out
  })

/** One model's PITs per backtest week and issue offset (what --calibrate maps through). */
export const backtestPitsFromLog = (backtestId: string, model: ModelKind) =>
  Effect.map(backtestWindowEvents(backtestId), (windows) =>
    windows
      .filter((w) => w.model === model)
      .map((w): BacktestPits => {
        const pits = new Map<CalibrationOffset, number>([[0, w.metrics.pit_week]])
        for (const n of w.nowcasts ?? []) pits.set(n.atDays, n.pit_week)
        return { origin: parseInstant(w.origin)!, pits }
      })
  )

/** The model windows of a backtest (what the ensemble weights are fitted on). */
export const backtestWindowsFromLog = (backtestId: string) =>
  Effect.map(backtestWindowEvents(backtestId), (windows) =>
    // Derived forecasters (calibrated models, the backtest's own ensemble) are not pool members.
    windows.flatMap((w): BacktestWindowAtoms[] =>
      isModelKind(w.model) ? [{ model: w.model, origin: parseInstant(w.origin)!, actual: w.metrics.actual_week, quantiles: w.forecast.totalQuantiles }] : []
    )
  )
