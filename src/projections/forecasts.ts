/**
 * `forecasts`, `forecast_hours`, `forecast_brackets`, `forecast_scores`: the forecasts issued and scored
 * (src/domain/events/forecast.ts). Tables: migration 0030.
 *
 * - ForecastIssued makes the forecast's row (summary columns, members/ensemble/days as jsonb), one row
 *   per simulated hour of its window, and one per bracket when brackets were asked for. `issued_at` is
 *   when the event was recorded (a property of the log, so a replay reproduces it).
 * - ForecastScored makes the forecast's score row.
 * Rows are keyed by the forecast id (and hour or bracket index), so a replay gives the same tables.
 * The remaining-total sample of the event is not copied: scoring reads it from the log.
 */
import { LEGACY_ACCOUNT } from "../domain/accounts/account"
import type { CatalogEvent } from "../domain/events/catalog"
import { ForecastIssued, ForecastScored } from "../domain/events/forecast"
import { HOUR_MS, parseInstant, toIsoUtc } from "../domain/time"
import type { Projection } from "./projection"
import { noWrites, Write } from "./write"

export const FORECAST_TABLES = { forecasts: "forecasts", hours: "forecast_hours", brackets: "forecast_brackets", scores: "forecast_scores" } as const

const recordedIso = (event: CatalogEvent): string => toIsoUtc(event.recordedAt.getTime())

/** The writes of one forecast event (pure; exported for tests). */
export const forecastWrites = (event: CatalogEvent, position: bigint): ReadonlyArray<Write> => {
  if (ForecastIssued.is(event)) {
    const d = event.data
    const r = d.result
    const q = (level: number): number => {
      const found = r.total.quantiles.find((x) => Math.abs(x.level - level) < 1e-9)
      // Every issuer writes these levels; a forecast without one cannot fill its not-null column.
      if (found === undefined) throw new Error(`forecast ${d.forecastId} has no ${level} quantile of its window total`)
      return found.value
    }
    const writes: Write[] = [
      Write.upsert(FORECAST_TABLES.forecasts, {
        forecast_id: d.forecastId,
        account: d.account ?? LEGACY_ACCOUNT,
        model: d.model,
        requested: d.requested,
        members: JSON.stringify(d.members),
        ensemble: d.ensemble === undefined ? null : JSON.stringify(d.ensemble),
        origin: d.origin,
        window_start: d.window.start,
        window_end: d.window.end,
        horizon: d.horizon ?? null,
        watermark: d.watermark,
        count_kinds: JSON.stringify(d.countKinds),
        seed: d.seed,
        paths: d.paths,
        code_version: d.codeVersion,
        notes: JSON.stringify(d.notes),
        observed_count: r.observed.count,
        observed_hours: r.observed.hours,
        total_mean: r.total.mean,
        total_q05: q(0.05),
        total_q10: q(0.1),
        total_q25: q(0.25),
        total_q50: q(0.5),
        total_q75: q(0.75),
        total_q90: q(0.9),
        total_q95: q(0.95),
        remaining: JSON.stringify(r.remaining),
        days: JSON.stringify(r.days),
        issued_at: recordedIso(event),
        position,
        calibration: d.calibration === undefined ? null : JSON.stringify(d.calibration)
      })
    ]
    const start = parseInstant(r.hourly.start)!
    r.hourly.mean.forEach((mean, h) =>
      writes.push(
        Write.upsert(FORECAST_TABLES.hours, {
          forecast_id: d.forecastId,
          hour_start: toIsoUtc(start + h * HOUR_MS),
          mean,
          q10: r.hourly.q10[h]!,
          q50: r.hourly.q50[h]!,
          q90: r.hourly.q90[h]!
        })
      )
    )
    ;(r.brackets ?? []).forEach((b, idx) =>
      writes.push(
        Write.upsert(FORECAST_TABLES.brackets, {
          forecast_id: d.forecastId,
          idx,
          label: b.label,
          lo: b.lo,
          hi: b.hi,
          count: b.count,
          probability: b.probability
        })
      )
    )
    return writes
  }
  if (ForecastScored.is(event)) {
    const d = event.data
    return [
      Write.upsert(FORECAST_TABLES.scores, {
        forecast_id: d.forecastId,
        actual: d.actual,
        crps: d.crps,
        log_score: d.logScore,
        pit: d.pit,
        inside50: d.inside50,
        inside80: d.inside80,
        inside95: d.inside95,
        watermark: d.watermark,
        scored_at: recordedIso(event),
        position
      })
    ]
  }
  return noWrites
}

export const forecastsProjection: Projection = {
  name: "forecasts",
  tables: [FORECAST_TABLES.forecasts, FORECAST_TABLES.hours, FORECAST_TABLES.brackets, FORECAST_TABLES.scores],
  eventTypes: [ForecastIssued.type, ForecastScored.type],
  handle: forecastWrites
}
