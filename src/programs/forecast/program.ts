/**
 * `musktracker forecast`: issue a forecast (and record it as ForecastIssued), and its subcommands
 * `reproduce ID`, `list`, `show ID`, `score`. docs/forecasting.md describes every rule.
 */
import { accountFilter, resolveAccount } from "../cli/account"
import { Console, Effect, Option } from "effect"
import { forecasterOf } from "../../domain/backtest/derived"
import { parseBrackets } from "../../domain/forecast/brackets"
import { formatDifference } from "../../domain/forecast/diff"
import { parseHorizon, parseWindow } from "../../domain/forecast/horizon"
import { MODEL_KINDS } from "../../domain/models/model"
import { toIsoUtc } from "../../domain/time"
import { forecastBrackets, forecastById, forecastHours, listForecasts, type ForecastBracketRow, type ForecastHourRow, type ForecastRow } from "../../projections/queries/forecasts"
import { catchUpProjections } from "../catch-up"
import { parseInstantOption, parseKinds } from "../counts/program"
import type { CliArgs } from "../cli/lazy"
import type { forecastOptions } from "./command"
import { counted, formatNumber, renderCsv, renderJson, renderTable, type OutputFormat } from "../cli/format"
import type { CountKind } from "../knowledge"
import { StoreLayer } from "../layers"
import { UsageError } from "../cli/usage-error"
import { ForecastNotFound, FORECAST_ID, ReproductionDiffers } from "./errors"
import { DEFAULT_HORIZON, issueForecast, type RequestedModel } from "./issue"
import { renderForecastCsv, renderForecastJson, renderForecastText, viewOf, type ForecastView } from "./render"
import { reproduceForecast } from "./reproduce"
import { calibration, scoreForecasts } from "./score"
import { parseBacktestId } from "../cli/backtest-id"

const MODEL_CHOICES: ReadonlyArray<RequestedModel> = [...MODEL_KINDS, "ensemble", "best"]
export const MIN_PATHS = 100
export const MAX_PATHS = 100_000

/** Every option checked before the store is touched, so bad input appends nothing. */
const parseRequest = (o: {
  readonly account: Option.Option<string>
  readonly model: string
  readonly horizon: Option.Option<string>
  readonly from: Option.Option<string>
  readonly window: Option.Option<string>
  readonly brackets: Option.Option<string>
  readonly count: string
  readonly paths: number
  readonly seed: number
  readonly calibrate: boolean
  readonly backtest: Option.Option<string>
}) =>
  Effect.gen(function* () {
    const account = yield* resolveAccount(o.account)
    const backtest = Option.isSome(o.backtest) ? yield* parseBacktestId(o.backtest.value, "--backtest") : undefined
    if (!(MODEL_CHOICES as ReadonlyArray<string>).includes(o.model))
      return yield* new UsageError({ message: `--model "${o.model}" is not one of ${MODEL_CHOICES.join(", ")}` })
    if (Option.isSome(o.horizon) && Option.isSome(o.window)) return yield* new UsageError({ message: "choose one of --horizon and --window" })
    let horizonHours: number | undefined
    if (Option.isNone(o.window)) {
      const h = parseHorizon(Option.getOrElse(o.horizon, () => DEFAULT_HORIZON))
      if (typeof h === "string") return yield* new UsageError({ message: `--horizon ${h}` })
      horizonHours = h
    }
    let window
    if (Option.isSome(o.window)) {
      const w = parseWindow(o.window.value)
      if (typeof w === "string") return yield* new UsageError({ message: `--window ${w}` })
      window = w
    }
    let brackets
    if (Option.isSome(o.brackets)) {
      const b = parseBrackets(o.brackets.value)
      if (typeof b === "string") return yield* new UsageError({ message: `--brackets ${b}` })
      brackets = b
    }
    if (!(o.paths >= MIN_PATHS && o.paths <= MAX_PATHS)) return yield* new UsageError({ message: `--paths must be between ${MIN_PATHS} and ${MAX_PATHS}, got ${o.paths}` })
    const from = yield* parseInstantOption("from", o.from)
    const countKinds = (yield* parseKinds(o.count)) as ReadonlyArray<CountKind>
    return {
      account,
      model: o.model as RequestedModel,
      ...(horizonHours !== undefined && { horizonHours }),
      ...(window !== undefined && { window }),
      ...(from !== undefined && { from }),
      ...(brackets !== undefined && { brackets }),
      countKinds,
      paths: o.paths,
      seed: o.seed,
      calibrate: o.calibrate,
      ...(backtest !== undefined && { backtest })
    }
  })

const printView = (v: ForecastView, format: "table" | "csv" | "json") =>
  Console.log(format === "json" ? renderJson(renderForecastJson(v)) : format === "csv" ? renderForecastCsv(v) : renderForecastText(v))

const checkId = (id: string) =>
  FORECAST_ID.test(id) ? Effect.succeed(id.toLowerCase()) : Effect.fail(new UsageError({ message: `"${id}" is not a forecast id (a UUID such as 3f2a9c1e-...)` }))

export const runReproduce = ({ id }: { readonly id: string }) =>
  Effect.gen(function* () {
    const fid = yield* checkId(id)
    const r = yield* reproduceForecast(fid).pipe(Effect.provide(StoreLayer))
    const head = `forecast ${r.recorded.forecastId} (${r.recorded.model}, origin ${r.recorded.origin}, watermark ${r.recorded.watermark})`
    yield* Console.log(`${head}: replayed the log to the watermark (${counted(r.tweets, "tweet")}, ${r.replaySeconds.toFixed(1)} s), recomputed in ${r.computeSeconds.toFixed(1)} s`)
    if (r.recordedCodeVersion !== r.currentCodeVersion) yield* Console.log(`note: recorded by ${r.recordedCodeVersion}, reproduced by ${r.currentCodeVersion}`)
    if (r.differences.length === 0) {
      yield* Console.log(`identical: ${r.compared} recorded values reproduced exactly`)
      return
    }
    for (const d of r.differences.slice(0, 200)) yield* Console.log(`differs: ${formatDifference(d)}`)
    if (r.differences.length > 200) yield* Console.log(`... and ${r.differences.length - 200} more differences`)
    return yield* new ReproductionDiffers({ forecastId: fid, differences: r.differences.length })
  })

/** A read-model row as the view the renderers take. */
const viewFromRows = (row: ForecastRow, hours: ReadonlyArray<ForecastHourRow>, brackets: ReadonlyArray<ForecastBracketRow>): ForecastView => ({
  forecastId: row.forecastId,
  model: row.model as ForecastView["model"],
  requested: row.requested as ForecastView["requested"],
  members: row.members,
  ...(row.ensemble !== null && { ensemble: row.ensemble }),
  origin: toIsoUtc(row.origin),
  window: { start: toIsoUtc(row.windowStart), end: toIsoUtc(row.windowEnd) },
  ...(row.horizon !== null && { horizon: row.horizon }),
  watermark: row.watermark.toString(),
  countKinds: row.countKinds,
  seed: row.seed,
  paths: row.paths,
  codeVersion: row.codeVersion,
  notes: row.notes,
  result: {
    observed: row.observed,
    hourly: {
      start: toIsoUtc(hours[0]?.hourStart ?? Math.max(row.windowStart, row.origin)),
      mean: hours.map((h) => h.mean),
      q10: hours.map((h) => h.q10),
      q50: hours.map((h) => h.q50),
      q90: hours.map((h) => h.q90)
    },
    days: row.days,
    total: row.total,
    remaining: row.remaining,
    ...(brackets.length > 0 && { brackets })
  },
  issuedAt: row.issuedAt,
  ...(row.score !== null && { score: row.score })
})

export const runShow = ({ id, format }: { readonly id: string; readonly format: OutputFormat }) =>
  Effect.gen(function* () {
    const fid = yield* checkId(id)
    const view = yield* Effect.gen(function* () {
      yield* catchUpProjections
      const row = yield* forecastById(fid)
      if (row === undefined) return yield* new ForecastNotFound({ forecastId: fid })
      return viewFromRows(row, yield* forecastHours(fid), yield* forecastBrackets(fid))
    }).pipe(Effect.provide(StoreLayer))
    yield* printView(view, format)
  })

const LIST_HEADER = ["forecast_id", "account", "issued_at", "model", "origin", "window_start", "window_end", "paths", "observed", "mean", "q10", "q50", "q90", "actual", "crps", "pit"]

export const runList = ({ account: flag, limit, format }: { readonly account: Option.Option<string>; readonly limit: number; readonly format: OutputFormat }) =>
    Effect.gen(function* () {
      if (limit < 1) return yield* new UsageError({ message: `--limit must be at least 1, got ${limit}` })
      const account = yield* accountFilter(flag)
      const rows = yield* Effect.zipRight(catchUpProjections, listForecasts(account === undefined ? { limit } : { account, limit })).pipe(Effect.provide(StoreLayer))
      const q = (r: ForecastRow, level: number) => r.total.quantiles.find((x) => Math.abs(x.level - level) < 1e-9)!.value
      const cells = rows.map((r) => [
        r.forecastId,
        `@${r.account}`,
        toIsoUtc(r.issuedAt),
        forecasterOf(r.model, r.calibration !== null),
        toIsoUtc(r.origin),
        toIsoUtc(r.windowStart),
        toIsoUtc(r.windowEnd),
        r.paths,
        r.observed.count,
        Math.round(r.total.mean * 10) / 10,
        q(r, 0.1),
        q(r, 0.5),
        q(r, 0.9),
        r.score === null ? "-" : r.score.actual,
        r.score === null ? "-" : formatNumber(r.score.crps),
        r.score === null ? "-" : r.score.pit.toFixed(3)
      ])
      if (format === "json") yield* Console.log(renderJson(rows))
      else if (format === "csv") yield* Console.log(renderCsv(LIST_HEADER, cells.map((c) => c.map((x) => (x === "-" ? "" : x)))))
      else {
        const none = account === undefined ? "no forecasts yet: run `musktracker forecast --horizon 7d`" : `no forecasts for @${account} yet: run \`musktracker forecast --account ${account} --horizon 7d\``
        yield* Console.log(rows.length === 0 ? none : renderTable(LIST_HEADER, cells))
      }
    })

const pct = (v: number): string => `${Math.round(v * 100)}%`

export const runScore = ({ account: flag, format }: { readonly account: Option.Option<string>; readonly format: OutputFormat }) =>
  Effect.gen(function* () {
    const account = yield* resolveAccount(flag)
    const run = yield* scoreForecasts(account, Date.now())
    const cal = calibration(run.all)
    if (format === "json") {
      yield* Console.log(renderJson({ scored: run.scored, pending: run.pending, coveredUntil: run.coveredUntil === undefined ? null : toIsoUtc(run.coveredUntil), calibration: cal }))
      return
    }
    yield* Console.log(
      `scored ${run.scored.length} forecast${run.scored.length === 1 ? "" : "s"}; ${run.pending} still waiting for their window to end` +
        (run.coveredUntil !== undefined ? ` (tweets are recorded up to ${toIsoUtc(run.coveredUntil)})` : " (no tweets recorded)")
    )
    if (run.scored.length > 0) {
      yield* Console.log("")
      yield* Console.log(
        renderTable(
          ["forecast_id", "model", "window_start", "window_end", "actual", "crps", "log_score", "pit", "in50", "in80", "in95"],
          run.scored.map((s) => [s.forecastId, s.model, s.window.start, s.window.end, s.actual, s.crps, s.logScore, s.pit.toFixed(3), yn(s.inside50), yn(s.inside80), yn(s.inside95)])
        )
      )
    }
    if (cal.length > 0) {
      yield* Console.log("")
      yield* Console.log("calibration of every scored forecast (coverage of the central intervals should be near 50/80/95%, PIT quintiles flat):")
      yield* Console.log(
        renderTable(
          ["model", "scored", "mean_crps", "mean_log_score", "cover50", "cover80", "cover95", "pit_quintiles"],
          cal.map((c) => [c.model, c.n, c.crps, c.logScore, pct(c.cover50), pct(c.cover80), pct(c.cover95), `[${c.pitQuintiles.join(" ")}]`])
        )
      )
    }
  }).pipe(Effect.provide(StoreLayer))

const yn = (b: boolean): string => (b ? "yes" : "no")

export const runForecast = (o: CliArgs<typeof forecastOptions>) =>
  Effect.gen(function* () {
    // Every option is checked before the store is opened: bad input never touches (or appends to) it.
    const req = yield* parseRequest(o)
    const issued = yield* issueForecast({ ...req, now: Date.now() }).pipe(Effect.provide(StoreLayer))
    // On stderr, so csv/json output stays clean.
    if (issued.staleWarning !== undefined) yield* Console.error(`warning: ${issued.staleWarning}`)
    yield* printView(viewOf(issued.data), o.format)
  })
