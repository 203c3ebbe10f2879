/**
 * `musktracker backtest list` and `backtest show ID`: the backtest runs recorded by `train`, read from
 * the backtest read models (src/projections/backtests.ts) after catching up.
 *
 * `show` prints the run, the per-model averages over origins (PROTOCOL.md's keys) and one row per
 * (model, origin). For a completed run the averages are the ones BacktestCompleted recorded; for a run
 * without BacktestCompleted (still going, or stopped) they are computed from the windows recorded so
 * far with the same averaging function (src/domain/metrics/evaluate.ts) and flagged as partial.
 * A malformed id is a usage error (exit 2); an id with no run is BacktestNotFound (exit 1).
 */
import { Console, Data, Effect, Option } from "effect"
import { averageOverOrigins, protocolReport, skillScore } from "../../domain/metrics/evaluate"
import type { ModelKind } from "../../domain/models/model"
import { NOWCAST_SUMMARY_KEYS, nowcastFields, type Forecaster } from "../../domain/events/backtest"
import { quantileSorted, sortedCopy } from "../../domain/stats/quantile"
import { toIsoUtc } from "../../domain/time"
import { backtestById, backtestSummaries, backtestWindows, listBacktests, type BacktestRow, type BacktestSummaryRow, type BacktestWindowRow } from "../../projections/queries/backtests"
import { catchUpProjections } from "../catch-up"
import { renderJson, renderTable } from "../cli/format"
import { accountFilter } from "../cli/account"
import { parseBacktestId } from "../cli/backtest-id"
import { StoreLayer } from "../layers"

/** No backtest with this id in the read model (exit 1). */
export class BacktestNotFound extends Data.TaggedError("BacktestNotFound")<{ readonly backtestId: string }> {
  override get message(): string {
    return `backtest ${this.backtestId} not found (\`musktracker backtest list\` shows the recorded runs)`
  }
}

type Format = "table" | "json"

const day = (ms: number): string => toIsoUtc(ms).slice(0, 10)
const originRange = (b: BacktestRow): string =>
  b.origins.length === 0 ? "-" : b.origins.length === 1 ? day(b.origins[0]!) : `${day(b.origins[0]!)}..${day(b.origins[b.origins.length - 1]!)}`

const runJson = (b: BacktestRow) => ({
  id: b.backtestId,
  account: b.account,
  status: b.status,
  started_at: toIsoUtc(b.startedAt),
  completed_at: b.completedAt === null ? null : toIsoUtc(b.completedAt),
  models: b.models,
  origins: b.origins.map(toIsoUtc),
  train_window: b.trainWindow,
  protocol: b.protocol,
  paths: b.paths,
  seed: b.seed,
  feature_spec_hash: b.featureSpecHash,
  watermark: b.watermark.toString(),
  windows: b.windows,
  code_version: b.codeVersion
})

/** `backtest list`: every run (or one account's, with `account`), newest first. */
export const backtestList = (options: { readonly format: Format; readonly account?: Option.Option<string> }) =>
  Effect.gen(function* () {
    const account = yield* accountFilter(options.account ?? Option.none())
    yield* catchUpProjections
    const runs = yield* listBacktests(account)
    if (options.format === "json") {
      yield* Console.log(renderJson(runs.map(runJson)))
      return runs
    }
    if (runs.length === 0) {
      yield* Console.log(account === undefined ? "no backtests recorded (run `musktracker train`)" : `no backtests recorded for @${account} (run \`musktracker train --account ${account}\`)`)
      return runs
    }
    yield* Console.log(
      renderTable(
        ["id", "account", "started", "models", "origins", "protocol", "train window", "status"],
        runs.map((b) => [
          b.backtestId,
          `@${b.account}`,
          toIsoUtc(b.startedAt),
          b.models.join(","),
          `${b.origins.length} (${originRange(b)})`,
          b.protocol,
          b.trainWindow,
          b.status === "completed" ? "completed" : `started (${b.windows}/${b.models.length * b.origins.length} windows)`
        ])
      )
    )
    return runs
  })

export interface BacktestDetails {
  readonly backtest: BacktestRow
  /** Recorded averages (completed run) or averages of the windows so far (`partial`). */
  readonly summaries: ReadonlyArray<BacktestSummaryRow>
  readonly partial: boolean
  readonly windows: ReadonlyArray<BacktestWindowRow>
}

/** Averages of the windows recorded so far, per model in the run's model order (for a run not completed). */
export const partialSummaries = (backtest: BacktestRow, windows: ReadonlyArray<BacktestWindowRow>): ReadonlyArray<BacktestSummaryRow> =>
  backtest.models.flatMap((model) => {
    const own = windows.filter((w) => w.model === model)
    if (own.length === 0) return []
    return [
      {
        backtestId: backtest.backtestId,
        model,
        ...averageOverOrigins(own.map((w) => w.metrics)),
        fit_s: quantileSorted(sortedCopy(own.map((w) => w.fitSeconds)), 0.5),
        failures: []
      }
    ]
  })

/** The run with its averages and windows; fails with UsageError (malformed id) or BacktestNotFound. */
export const loadBacktest = (id: string) =>
  Effect.gen(function* () {
    const backtestId = yield* parseBacktestId(id)
    const backtest = yield* backtestById(backtestId)
    if (backtest === undefined) return yield* new BacktestNotFound({ backtestId })
    const windows = yield* backtestWindows(backtestId)
    const partial = backtest.status !== "completed"
    // models in the run's order, then each model's calibrated variant, then the ensemble
    const order = (m: Forecaster) => {
      const base = backtest.models.indexOf(m.replace(/\+cal$/, "") as ModelKind)
      return m === "ensemble" ? 3 * backtest.models.length : base + (m.endsWith("+cal") ? backtest.models.length : 0)
    }
    const summaries = partial
      ? partialSummaries(backtest, windows)
      : [...(yield* backtestSummaries(backtestId))].sort((a, b) => order(a.model) - order(b.model))
    return { backtest, summaries, partial, windows } satisfies BacktestDetails
  })

/** A number for renderTable (which aligns and rounds it), or "-" when undefined. */
const cell = (v: number | null): number | string => (v === null || !Number.isFinite(v) ? "-" : v)

const summaryJson = (s: BacktestSummaryRow) => ({
  model: s.model,
  origins: s.origins,
  ...protocolReport(s),
  cover50_week: s.cover50_week,
  cover95_week: s.cover95_week,
  rmse_h24: s.rmse_h24,
  rmse_h168: s.rmse_h168,
  mase_h24: s.mase_h24,
  mase_h168: s.mase_h168,
  logscore_week: s.logscore_week,
  ...nowcastFields(s, null),
  failures: s.failures.map((f) => ({ origin: toIsoUtc(f.origin), reason: f.reason }))
})

const windowJson = (w: BacktestWindowRow) => ({
  model: w.model,
  origin: toIsoUtc(w.origin),
  ...w.metrics,
  fit_s: w.fitSeconds,
  total_mean: w.forecast.totalMean,
  total_quantiles: w.forecast.totalQuantiles,
  nowcasts: w.nowcasts
})

/** CRPS skill against seasonal naive of the same run, when it is there. */
const crpsSkill = (summaries: ReadonlyArray<BacktestSummaryRow>, model: Forecaster): number | null => {
  const baseline = summaries.find((s) => s.model === "seasonal_naive")
  const own = summaries.find((s) => s.model === model)
  return baseline === undefined || own === undefined ? null : skillScore(own.crps_week, baseline.crps_week)
}

export const formatBacktest = (d: BacktestDetails): string => {
  const b = d.backtest
  const lines = [
    `backtest ${b.backtestId} (${b.status})`,
    `started ${toIsoUtc(b.startedAt)}${b.completedAt === null ? "" : `, completed ${toIsoUtc(b.completedAt)}`}`,
    `protocol ${b.protocol}, ${b.origins.length} origins ${originRange(b)}, train window ${b.trainWindow}`,
    `models ${b.models.join(", ")}; ${b.paths} paths, seed ${b.seed}, watermark ${b.watermark}; ${b.windows} windows recorded`,
    `code ${b.codeVersion}`,
    ""
  ]
  if (d.summaries.length === 0) lines.push("no windows recorded yet")
  else {
    if (d.partial) lines.push("not completed: averages over the windows recorded so far")
    lines.push(
      renderTable(
        ["model", "origins", "mae_h24", "mae_h168", "mae_week", "crps_week", "cover80_week", "fit_s", "crps_skill"],
        d.summaries.map((s) => [
          s.model,
          s.origins,
          s.mae_h24,
          s.mae_h168,
          s.mae_week,
          s.crps_week,
          s.cover80_week,
          s.fit_s,
          cell(crpsSkill(d.summaries, s.model))
        ])
      )
    )
    if (d.summaries.some((s) => s.model === "seasonal_naive")) lines.push("crps_skill = 1 - crps_week / crps_week of seasonal_naive (above 0: better than the baseline)")
    const nowcasts = d.summaries.filter((s) => s.crps_week_at_1d !== undefined)
    if (nowcasts.length > 0)
      lines.push(
        "",
        "nowcasts of the week total, issued 1, 3 and 5 days into the week",
        renderTable(
          ["model", ...NOWCAST_SUMMARY_KEYS],
          nowcasts.map((s) => [s.model, ...NOWCAST_SUMMARY_KEYS.map((k) => s[k]!)])
        )
      )
    for (const s of d.summaries)
      if (s.failures.length > 0)
        lines.push(`${s.model} failed at ${s.failures.length} origin(s): ${s.failures.map((f) => `${day(f.origin)}: ${f.reason}`).join("; ")}`)
  }
  if (d.windows.length > 0) {
    lines.push("", "per origin")
    lines.push(
      renderTable(
        ["model", "origin", "mae_h24", "mae_h168", "mae_week", "crps_week", "in80", "actual_week", "mean_week", "fit_s"],
        d.windows.map((w) => [
          w.model,
          day(w.origin),
          w.metrics.mae_h24,
          w.metrics.mae_h168,
          w.metrics.mae_week,
          w.metrics.crps_week,
          w.metrics.inside80_week === 1 ? "yes" : "no",
          w.metrics.actual_week,
          w.metrics.mean_week,
          w.fitSeconds
        ])
      )
    )
  }
  return lines.join("\n")
}

/** `backtest show ID`. */
export const backtestShow = (id: string, options: { readonly format: Format }) =>
  Effect.gen(function* () {
    yield* parseBacktestId(id)
    yield* catchUpProjections
    const details = yield* loadBacktest(id)
    if (options.format === "json")
      yield* Console.log(
        renderJson({
          backtest: runJson(details.backtest),
          partial: details.partial,
          summary: details.summaries.map(summaryJson),
          windows: details.windows.map(windowJson)
        })
      )
    else yield* Console.log(formatBacktest(details))
    return details
  })

// ---- the command's entry points: the configured store provided once, at the edge ----
export const runBacktestList = (options: { readonly format: Format; readonly account: Option.Option<string> }) => backtestList(options).pipe(Effect.provide(StoreLayer))
export const runBacktestShow = (id: string, options: { readonly format: Format }) => backtestShow(id, options).pipe(Effect.provide(StoreLayer))
