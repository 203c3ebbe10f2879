/**
 * `backtests`, `backtest_windows`, `backtest_summaries`: the backtest runs recorded by `train`
 * (src/domain/events/backtest.ts). Tables: migration 0021.
 *
 * - BacktestStarted makes the run's row (status `started`); its `started_at` is when the event was
 *   recorded (a property of the log, so a replay reproduces it).
 * - BacktestWindowEvaluated makes one window row (metrics, fit time, forecast summary as jsonb) and
 *   counts it in the run's `windows`.
 * - BacktestCompleted sets status `completed` and `completed_at`, and makes one summary row per
 *   forecaster (model, `<model>+cal`, `ensemble`), nowcast averages included (migration 0041).
 * Every row is keyed by natural keys, and the events carry deterministic ids, so a replay, a rebuild or
 * a re-append of the same run gives the same tables.
 */
import { LEGACY_ACCOUNT } from "../domain/accounts/account"
import { BacktestCompleted, BacktestStarted, BacktestWindowEvaluated, nowcastFields } from "../domain/events/backtest"
import type { CatalogEvent } from "../domain/events/catalog"
import { PROTOCOL_AVERAGE_KEYS, WINDOW_METRIC_KEYS } from "../domain/metrics/evaluate"
import { toIsoUtc } from "../domain/time"
import type { Projection } from "./projection"
import { noWrites, Write } from "./write"

export const BACKTEST_TABLES = { runs: "backtests", windows: "backtest_windows", summaries: "backtest_summaries" } as const

/** The named fields of a record, for columns named after them (listed once, in the domain). */
const pick = <O, K extends keyof O>(o: O, keys: ReadonlyArray<K>): Pick<O, K> => Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<O, K>

const recordedIso = (event: CatalogEvent): string => toIsoUtc(event.recordedAt.getTime())

/** The writes of one backtest event (pure; exported for tests). */
export const backtestWrites = (event: CatalogEvent, position: bigint): ReadonlyArray<Write> => {
  if (BacktestStarted.is(event)) {
    const d = event.data
    return [
      Write.upsert(BACKTEST_TABLES.runs, {
        backtest_id: d.backtestId,
        account: d.account ?? LEGACY_ACCOUNT,
        started_at: recordedIso(event),
        completed_at: null,
        status: "started",
        models: JSON.stringify(d.models),
        origins: JSON.stringify(d.origins),
        origin_count: d.origins.length,
        first_origin: d.origins[0]!,
        last_origin: d.origins[d.origins.length - 1]!,
        train_window: d.trainWindow,
        protocol: d.protocol,
        paths: d.paths,
        seed: d.seed,
        feature_spec_hash: d.featureSpecHash ?? null,
        watermark: d.watermark,
        windows: 0,
        code_version: event.metadata.codeVersion,
        started_position: position,
        completed_position: null
      })
    ]
  }
  if (BacktestWindowEvaluated.is(event)) {
    const d = event.data
    return [
      Write.upsert(BACKTEST_TABLES.windows, {
        backtest_id: d.backtestId,
        model: d.model,
        origin: d.origin,
        ...pick(d.metrics, WINDOW_METRIC_KEYS),
        fit_seconds: d.fitSeconds,
        forecast: JSON.stringify(d.forecast),
        nowcasts: d.nowcasts === undefined ? null : JSON.stringify(d.nowcasts),
        weights: d.weights === undefined ? null : JSON.stringify(d.weights),
        position
      }),
      Write.increment(BACKTEST_TABLES.runs, { backtest_id: d.backtestId }, { windows: 1 })
    ]
  }
  if (BacktestCompleted.is(event)) {
    const d = event.data
    return [
      Write.merge(BACKTEST_TABLES.runs, {
        backtest_id: d.backtestId,
        status: "completed",
        completed_at: recordedIso(event),
        completed_position: position
      }),
      ...d.summary.map((s) =>
        Write.upsert(BACKTEST_TABLES.summaries, {
          backtest_id: d.backtestId,
          model: s.model,
          ...pick(s, PROTOCOL_AVERAGE_KEYS),
          fit_s: s.fit_s,
          ...nowcastFields(s, null),
          failures: JSON.stringify(s.failures ?? []),
          position
        })
      )
    ]
  }
  return noWrites
}

export const backtestsProjection: Projection = {
  name: "backtests",
  tables: [BACKTEST_TABLES.runs, BACKTEST_TABLES.windows, BACKTEST_TABLES.summaries],
  eventTypes: [BacktestStarted.type, BacktestWindowEvaluated.type, BacktestCompleted.type],
  handle: backtestWrites
}
