/**
 * `forecasts.calibration`: the recalibration a forecast was issued with (`forecast --calibrate`:
 * `{backtestId, atDays, windows}` of its ForecastIssued event; NULL for a forecast as the model gave it),
 * so listings and the running scores tell `ewma_level+cal` from `ewma_level`. Rows already projected
 * cannot be filled from SQL alone (the log may live in EventStoreDB), so the forecasts projection's
 * tables are emptied and its checkpoint reset: the next catch-up (every command runs one) rebuilds them
 * from the log. No event is rewritten.
 */
import { execAll, type Migration } from "./migration"

const TABLES = ["forecast_scores", "forecast_brackets", "forecast_hours", "forecasts"]

const migration: Migration = {
  version: 47,
  name: "forecast_calibration",
  up: (db) =>
    execAll(db, [
      ...TABLES.map((t) => `delete from ${t}`),
      `alter table forecasts add column calibration jsonb`,
      `update projection_checkpoints set position = 0, updated_at = now() where name = 'forecasts'`
    ]),
  down: (db) => execAll(db, [`alter table forecasts drop column calibration`])
}

export default migration
