/**
 * Reading the backtest read models (src/projections/backtests.ts): runs, per-(model, origin) windows
 * with their forecast summaries, and per-model averages. Instants are epoch ms; "latest" means the run
 * whose BacktestStarted has the highest log position, and by default only completed runs count (a run
 * without BacktestCompleted is still going, or stopped, and has no averages).
 * These read what the projection holds: catch up first (`catchUpProjections`) to include new runs.
 */
import type { Database } from "../../adapters/sql/tables"
import { UUID_PATTERN } from "../../domain/uuid"
import { Data, Effect } from "effect"
import { sql, type Kysely, type RawBuilder } from "kysely"
import { SqlDatabase } from "../../adapters/sql/database"
import { NOWCAST_SUMMARY_KEYS, type Forecaster, type ForecastSummaryPayload, type NowcastAverages } from "../../domain/events/backtest"
import type { NowcastScores } from "../../domain/backtest/evaluate-window"
import { PROTOCOL_AVERAGE_KEYS, WINDOW_METRIC_KEYS, type ProtocolAverages, type WindowMetrics } from "../../domain/metrics/evaluate"
import { isModelKind, type ModelKind } from "../../domain/models/model"
import { BACKTEST_TABLES } from "../backtests"
import { runQuery, jsonValue } from "./run-query"


const msOf = (column: string) => sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000)::float8`
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

export { UUID_PATTERN }

/** The nowcast averages of a summary row (absent for runs recorded before nowcasts were scored). */
const nowcastAverages = (row: Record<string, unknown>): NowcastAverages =>
  Object.fromEntries(NOWCAST_SUMMARY_KEYS.filter((k) => row[k] !== null && row[k] !== undefined).map((k) => [k, Number(row[k])]))

/** `started`: no BacktestCompleted in the log (the run is going on, or it stopped before completing). */
export type BacktestStatus = "started" | "completed"

export interface BacktestRow {
  readonly backtestId: string
  /** The account whose tweets the run replayed. */
  readonly account: string
  readonly status: BacktestStatus
  /** When BacktestStarted / BacktestCompleted were recorded (epoch ms). */
  readonly startedAt: number
  readonly completedAt: number | null
  readonly models: ReadonlyArray<ModelKind>
  /** Forecast origins, ascending (epoch ms). */
  readonly origins: ReadonlyArray<number>
  readonly trainWindow: string
  /** `dev` (PROTOCOL.md's development origins) or `custom`. */
  readonly protocol: string
  readonly paths: number
  readonly seed: number
  readonly featureSpecHash: string | null
  /** Last global log position the replay read. */
  readonly watermark: bigint
  /** BacktestWindowEvaluated events recorded so far. */
  readonly windows: number
  readonly codeVersion: string
  /** Global log position of BacktestStarted. */
  readonly position: bigint
}

export interface BacktestWindowRow {
  readonly backtestId: string
  readonly model: Forecaster
  /** Forecast origin (epoch ms). */
  readonly origin: number
  readonly metrics: WindowMetrics
  /** Wall seconds to fit and forecast this origin. */
  readonly fitSeconds: number
  /** Predictive hourly means, week-total quantiles {level, value} (levels ascending) and mean. */
  readonly forecast: ForecastSummaryPayload
  /** Scores at T + 1, 3, 5 days; empty for runs recorded before nowcasts were scored. */
  readonly nowcasts: ReadonlyArray<NowcastScores>
  readonly position: bigint
}

/** One model's averages over the origins of a completed run (keys as PROTOCOL.md names them). */
export interface BacktestSummaryRow extends ProtocolAverages, NowcastAverages {
  readonly backtestId: string
  readonly model: Forecaster
  /** Median wall seconds to fit and forecast one origin. */
  readonly fit_s: number
  /** Origins at which the model could not be fitted (epoch ms), with the reason. */
  readonly failures: ReadonlyArray<{ readonly origin: number; readonly reason: string }>
}

const selectRuns = (db: Kysely<Database>, where: RawBuilder<unknown>, limit?: number) =>
  sql<Record<string, unknown>>`
    select backtest_id::text as backtest_id, account, status, ${msOf("started_at")} as started_ms, ${msOf("completed_at")} as completed_ms,
           models, origins, train_window, protocol, paths, seed::text as seed, feature_spec_hash, watermark::text as watermark,
           windows, code_version, started_position::text as position
    from ${sql.table(BACKTEST_TABLES.runs)}
    where ${where}
    order by started_position desc nulls last, backtest_id
    ${limit !== undefined ? sql`limit ${limit}` : sql``}`.execute(db)

const toRun = (row: Record<string, unknown>): BacktestRow => ({
  backtestId: String(row.backtest_id),
  account: String(row.account),
  status: row.status as BacktestStatus,
  startedAt: Number(row.started_ms),
  completedAt: num(row.completed_ms),
  models: jsonValue(row.models) as ModelKind[],
  origins: (jsonValue(row.origins) as string[]).map((s) => Date.parse(s)),
  trainWindow: String(row.train_window),
  protocol: String(row.protocol),
  paths: Number(row.paths),
  seed: Number(row.seed),
  featureSpecHash: row.feature_spec_hash === null ? null : String(row.feature_spec_hash),
  watermark: BigInt(String(row.watermark)),
  windows: Number(row.windows),
  codeVersion: String(row.code_version),
  position: BigInt(String(row.position))
})

/** Every run (of one account, if given), newest first. */
export const listBacktests = (account?: string) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      selectRuns(db, account === undefined ? sql`started_position is not null` : sql`started_position is not null and account = ${account}`)
    )
    return r.rows.map(toRun) as ReadonlyArray<BacktestRow>
  })

/** The run with this id, or undefined (also for a string that is not a UUID). */
export const backtestById = (backtestId: string) =>
  Effect.gen(function* () {
    if (!UUID_PATTERN.test(backtestId)) return undefined
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () => selectRuns(db, sql`backtest_id = ${backtestId.toLowerCase()}::uuid and started_position is not null`))
    return r.rows.length === 0 ? undefined : toRun(r.rows[0]!)
  })

/** The account's newest completed run (or its newest run of any status with `includeIncomplete`), or undefined. */
export const latestBacktest = (account: string, options: { readonly includeIncomplete?: boolean } = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const where = options.includeIncomplete
      ? sql`started_position is not null and account = ${account}`
      : sql`started_position is not null and status = 'completed' and account = ${account}`
    const r = yield* runQuery(describe, () => selectRuns(db, where, 1))
    return r.rows.length === 0 ? undefined : toRun(r.rows[0]!)
  })

/** A metric column: double precision (a number from both drivers) or null; a column that is not null stays a number. */
const metricOf = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** Picks `keys` of a row as numbers (null where the column is null). */
const metricsOf = <K extends string>(row: Record<string, unknown>, keys: ReadonlyArray<K>): Record<K, number | null> =>
  Object.fromEntries(keys.map((k) => [k, metricOf(row[k])])) as Record<K, number | null>

/** The per-model averages of a run (empty until it completes), ordered by model. */
export const backtestSummaries = (backtestId: string) =>
  Effect.gen(function* () {
    if (!UUID_PATTERN.test(backtestId)) return [] as ReadonlyArray<BacktestSummaryRow>
    const { db, describe } = yield* SqlDatabase
    const rows = yield* runQuery(describe, () =>
      db
        .selectFrom("backtest_summaries")
        .select(["backtest_id", "model", "fit_s", "failures", ...PROTOCOL_AVERAGE_KEYS, ...NOWCAST_SUMMARY_KEYS])
        .where("backtest_id", "=", backtestId.toLowerCase())
        .orderBy("model")
        .execute()
    )
    return rows.map(
      (row): BacktestSummaryRow => ({
        ...(metricsOf(row, PROTOCOL_AVERAGE_KEYS) as unknown as ProtocolAverages),
        ...nowcastAverages(row),
        backtestId: row.backtest_id,
        model: row.model as Forecaster,
        fit_s: row.fit_s,
        failures: (jsonValue(row.failures) as Array<{ origin: string; reason: string }>).map((f) => ({ origin: Date.parse(f.origin), reason: f.reason }))
      })
    ) as ReadonlyArray<BacktestSummaryRow>
  })

/** The windows of a run (of one model, if given), ordered by model then origin. */
export const backtestWindows = (backtestId: string, options: { readonly model?: ModelKind } = {}) =>
  Effect.gen(function* () {
    if (!UUID_PATTERN.test(backtestId)) return [] as ReadonlyArray<BacktestWindowRow>
    const { db, describe } = yield* SqlDatabase
    let query = db
      .selectFrom("backtest_windows")
      .select(["backtest_id", "model", msOf("origin").as("origin_ms"), "fit_seconds", "forecast", "nowcasts", sql<string>`position::text`.as("position"), ...WINDOW_METRIC_KEYS])
      .where("backtest_id", "=", backtestId.toLowerCase())
    if (options.model !== undefined) query = query.where("model", "=", options.model)
    const rows = yield* runQuery(describe, () => query.orderBy("model").orderBy("origin").execute())
    return rows.map(
      (row): BacktestWindowRow => ({
        backtestId: row.backtest_id,
        model: row.model as Forecaster,
        origin: Number(row.origin_ms),
        metrics: metricsOf(row, WINDOW_METRIC_KEYS) as unknown as WindowMetrics,
        fitSeconds: Number(row.fit_seconds),
        forecast: jsonValue(row.forecast) as ForecastSummaryPayload,
        nowcasts: row.nowcasts === null || row.nowcasts === undefined ? [] : (jsonValue(row.nowcasts) as NowcastScores[]),
        position: BigInt(row.position)
      })
    ) as ReadonlyArray<BacktestWindowRow>
  })

/**
 * The run a comparison rests on (the report, `forecast --model best` and the ensemble's weights): among
 * completed runs, the one covering the most models, then the most origins, then the newest — so a later
 * small run (one model, a few origins) does not silently replace a full comparison.
 */
export const chooseReferenceRun = (runs: ReadonlyArray<BacktestRow>): BacktestRow | undefined => {
  let best: BacktestRow | undefined
  for (const r of runs) {
    if (r.status !== "completed") continue
    if (
      best === undefined ||
      r.models.length > best.models.length ||
      (r.models.length === best.models.length && r.origins.length > best.origins.length) ||
      (r.models.length === best.models.length && r.origins.length === best.origins.length && r.position > best.position)
    )
      best = r
  }
  return best
}

export const referenceBacktest = (account: string) => Effect.map(listBacktests(account), chooseReferenceRun)

/** A named run that cannot serve as the reference: no such run, or it has not completed. */
export class BacktestNotUsable extends Data.TaggedError("BacktestNotUsable")<{ readonly backtestId: string; readonly reason: string }> {
  override get message(): string {
    return `backtest ${this.backtestId} ${this.reason} (see \`musktracker backtest list\`)`
  }
}

/**
 * The run a comparison of the account's models rests on: the one named (`--backtest ID`; it must exist,
 * be of the account and have completed), or else the account's reference run (chooseReferenceRun).
 */
export const chosenBacktest = (account: string, backtestId?: string) =>
  Effect.gen(function* () {
    if (backtestId === undefined) return yield* referenceBacktest(account)
    const run = yield* backtestById(backtestId)
    if (run === undefined) return yield* new BacktestNotUsable({ backtestId, reason: "is not recorded" })
    if (run.status !== "completed") return yield* new BacktestNotUsable({ backtestId, reason: "has not completed" })
    if (run.account !== account) return yield* new BacktestNotUsable({ backtestId, reason: `replayed @${run.account}, not @${account}` })
    return run
  })

/** The chosen run and its per-model averages, or undefined when there is none. */
const withSummaries = <E, R>(pick: Effect.Effect<BacktestRow | undefined, E, R>) =>
  Effect.gen(function* () {
    const backtest = yield* pick
    if (backtest === undefined) return undefined
    const summaries = yield* backtestSummaries(backtest.backtestId)
    return { backtest, summaries }
  })

/** The chosen run and its windows with their forecast summaries, or undefined when there is none. */
const withWindows = <E, R>(pick: Effect.Effect<BacktestRow | undefined, E, R>, options: { readonly model?: ModelKind }) =>
  Effect.gen(function* () {
    const backtest = yield* pick
    if (backtest === undefined) return undefined
    const windows = yield* backtestWindows(backtest.backtestId, options)
    return { backtest, windows }
  })

/** The reference run (chooseReferenceRun), or the one named, and its per-model averages. */
export const referenceBacktestSummaries = (account: string, backtestId?: string) => withSummaries(chosenBacktest(account, backtestId))
/** The reference run, or the one named, and all its windows. */
export const referenceBacktestWindows = (account: string, options: { readonly model?: ModelKind; readonly backtestId?: string } = {}) =>
  withWindows(chosenBacktest(account, options.backtestId), options.model === undefined ? {} : { model: options.model })
/** The newest completed run and its per-model averages. */
export const latestBacktestSummaries = (account: string) => withSummaries(latestBacktest(account))
/** The newest completed run and all its windows. */
export const latestBacktestWindows = (account: string, options: { readonly model?: ModelKind } = {}) => withWindows(latestBacktest(account), options)

/**
 * The model or ensemble with the lowest average week-total CRPS among summaries with at least one evaluated origin
 * (ties: the first in model-name order), or undefined. What `forecast --model best` uses.
 */
export const bestModelByCrps = (summaries: ReadonlyArray<BacktestSummaryRow>): ModelKind | "ensemble" | undefined => {
  let best: BacktestSummaryRow | undefined
  // what `forecast` can issue: a model or the ensemble (calibrated variants are scored, not issued)
  const issuable = summaries.filter((s) => isModelKind(s.model) || s.model === "ensemble")
  for (const s of [...issuable].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0)))
    if (s.origins > 0 && Number.isFinite(s.crps_week) && (best === undefined || s.crps_week < best.crps_week)) best = s
  return best?.model as ModelKind | "ensemble" | undefined
}
