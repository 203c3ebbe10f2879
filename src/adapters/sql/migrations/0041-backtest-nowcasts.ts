/**
 * Nowcasts and derived forecasters in the backtest read models (src/projections/backtests.ts):
 * - `backtest_windows.nowcasts`: the scores at T + 1, 3 and 5 days (jsonb array; null for runs
 *   recorded before nowcasts were scored), `weights`: the ensemble's members and weights;
 * - `backtest_summaries`: the nowcast averages as columns (null for older runs).
 * Model names now also hold `<model>+cal` and `ensemble`; the columns were already text.
 */
import { execAll, type Migration } from "./migration"

const NOWCAST_COLUMNS = ["crps_week_at_1d", "crps_week_at_3d", "crps_week_at_5d", "cover80_week_at_1d", "cover80_week_at_3d", "cover80_week_at_5d"]

const migration: Migration = {
  version: 41,
  name: "backtest_nowcasts",
  up: (db) =>
    execAll(db, [
      `alter table backtest_windows add column nowcasts jsonb, add column weights jsonb`,
      `alter table backtest_summaries ${NOWCAST_COLUMNS.map((c) => `add column ${c} double precision`).join(", ")}`
    ]),
  down: (db) =>
    execAll(db, [
      `alter table backtest_summaries ${NOWCAST_COLUMNS.map((c) => `drop column ${c}`).join(", ")}`,
      `alter table backtest_windows drop column weights, drop column nowcasts`
    ])
}

export default migration
