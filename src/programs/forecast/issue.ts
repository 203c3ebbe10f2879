/**
 * Issuing a forecast: resolve the model (a kind, `best`, or the `ensemble`), pick or refit its fitted
 * parameters, build the as-of inputs at the origin, simulate, summarise, and append `ForecastIssued`.
 *
 * The origin (docs/forecasting.md "Origin rule"): by default `latestFitOrigin(lastTweetAt, now)` — the
 * start of the hour after the newest counted tweet's hour, but never later than the current hour (an
 * hour still running is incomplete). `--from T` forecasts as of an earlier instant: origin = the UTC hour
 * containing T (the facts before that hour), which must not be after the default origin.
 */
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { codeVersion } from "../../adapters/code-version"
import type { SqlDatabase, SqlError } from "../../adapters/sql/database"
import type { Bracket } from "../../domain/forecast/brackets"
import { formatHorizon, MAX_FORECAST_HOURS, type CountWindow } from "../../domain/forecast/horizon"
import { planForecast } from "../../domain/forecast/plan"
import { type ForecastOutcome } from "../../domain/forecast/run"
import { ExpectedRevision } from "../../domain/events/envelope"
import { ForecastIssued, type EnsembleFit, type ForecastIssuedData } from "../../domain/events/forecast"
import { isModelKind, type ModelKind } from "../../domain/models/model"
import { EventStore } from "../../domain/ports/event-store"
import { HOUR_MS, hourFloor, toIsoUtc } from "../../domain/time"
import { bestModelByCrps, BacktestNotUsable, chosenBacktest, referenceBacktestSummaries, referenceBacktestWindows } from "../../projections/queries/backtests"
import { CALIBRATION_MIN_WINDOWS } from "../../domain/backtest/calibration"
import { calibrateOutcome, calibrationOffset, pastPits } from "../../domain/forecast/calibrate"
import { backtestPitsFromLog } from "./log"
import { catchUpProjections } from "../catch-up"
import type { CountKind } from "../knowledge"
import { latestFitOrigin } from "../../domain/backtest/origins"
import { UsageError } from "../cli/usage-error"
import { planFits, refitLookbackHours, resolveFits } from "./fits"
import { knowledgeFromReadModels, readModelWatermark, tweetSpan } from "../../projections/queries/knowledge"
import { ensembleWeights, prepareMember } from "../../domain/forecast/members"

export type { RequestedModel } from "../../domain/forecast/assemble"
import { assembleIssued, computeForecast, type RequestedModel } from "../../domain/forecast/assemble"

/** What `best` falls back to when no backtest has completed (docs/forecasting.md). */
/**
 * The model used without a backtest to rank by: the adaptive level, which beat fixed training windows
 * and since-regime windows on both backtest periods (README, docs/models/level.md).
 */
export const DEFAULT_MODEL: ModelKind = "ewma_level"
export const DEFAULT_HORIZON = "7d"

export interface ForecastRequest {
  /** The account whose tweets are forecast (normalised handle). */
  readonly account: string
  readonly model: RequestedModel
  /** Either a horizon from the origin or an explicit window. */
  readonly horizonHours?: number
  readonly window?: CountWindow
  readonly from?: number
  readonly brackets?: ReadonlyArray<Bracket>
  readonly countKinds: ReadonlyArray<CountKind>
  readonly paths: number
  readonly seed: number
  /** The clock (epoch ms), passed in. */
  readonly now: number
  /** Recalibrate the window total from the model's PITs in the reference backtest (one model only). */
  readonly calibrate?: boolean
  /** The backtest that `best`, the ensemble and calibration rest on (default: the reference run). */
  readonly backtest?: string
  /** A deterministic id (a scheduler's slot), so the same forecast is issued once; default random. */
  readonly forecastId?: string
}

export interface IssuedForecast {
  readonly data: ForecastIssuedData
  readonly outcome: ForecastOutcome
  /** Set when the forecast starts at the end of data older than a day (not recorded: about now, not the forecast). */
  readonly staleWarning?: string
}

/** How old the newest data may be before a forecast "from now" warns that it is not from now. */
export const STALE_DATA_HOURS = 24

/** The warning for a forecast made at the end of stale data, or undefined (pure; `now` passed in). */
export const staleDataWarning = (lastTweetAt: number, origin: number, now: number, fromGiven: boolean): string | undefined => {
  if (fromGiven || now - lastTweetAt <= STALE_DATA_HOURS * HOUR_MS) return undefined
  const days = Math.floor((now - lastTweetAt) / (24 * HOUR_MS))
  return (
    `the newest tweet in the store is from ${toIsoUtc(lastTweetAt)}, ${days} day${days === 1 ? "" : "s"} ago: this forecast starts at the end of the data ` +
    `(${toIsoUtc(origin)}), not now. Run \`musktracker ingest\` (or import a newer archive) first, or pass --from to forecast from a past origin on purpose.`
  )
}

const ensembleRows = (account: string, backtestId: string | undefined) => Effect.gen(function* () {
  const latest = yield* referenceBacktestWindows(account, { ...(backtestId !== undefined && { backtestId }) })
  if (latest === undefined) return undefined
  // Pool members are models; the backtest's calibrated variants and its own ensemble are not.
  const rows = latest.windows.flatMap((w) =>
    isModelKind(w.model) ? [{ model: w.model, origin: w.origin, actual: w.metrics.actual_week, quantiles: w.forecast.totalQuantiles }] : []
  )
  return { backtestId: latest.backtest.backtestId, rows }
})

/** Resolves `best` and `ensemble` into members with weights (and says how). */
const resolveMembers = (account: string, requested: RequestedModel, notes: string[], backtestId: string | undefined): Effect.Effect<ResolvedMembers, Error | SqlError | BacktestNotUsable, SqlDatabase> =>
  Effect.gen(function* () {
    if (requested === "best") {
      const latest = yield* referenceBacktestSummaries(account, backtestId)
      const best = latest === undefined ? undefined : bestModelByCrps(latest.summaries)
      if (best === undefined) {
        notes.push(`no completed backtest to choose the best model: using the default ${DEFAULT_MODEL} (run \`musktracker train\` to rank the models)`)
        return single(DEFAULT_MODEL)
      }
      const s = latest!.summaries.find((x) => x.model === best)!
      notes.push(`best model: ${best} (lowest mean week CRPS ${s.crps_week.toFixed(2)} over ${s.origins} origins of backtest ${latest!.backtest.backtestId})`)
      return best === "ensemble" ? yield* resolveMembers(account, "ensemble", notes, backtestId) : single(best)
    }
    if (requested === "ensemble") {
      const data = yield* ensembleRows(account, backtestId)
      if (data === undefined) return yield* Effect.fail(new Error("no completed backtest to fit the ensemble weights on: run `musktracker train` first"))
      const w = ensembleWeights(data.backtestId, data.rows)
      if (typeof w === "string") return yield* Effect.fail(new Error(w))
      const dropped = w.fit.candidates.filter((k) => !w.members.some((m) => m.kind === k))
      notes.push(
        `ensemble weights fitted on backtest ${w.fit.backtestId} (${w.fit.origins.length} origins): ` +
          w.fit.candidates.map((k, i) => `${k} ${w.fit.fittedWeights[i]!.toFixed(3)}`).join(", ") +
          `; mean CRPS ${w.fit.meanCrps.toFixed(2)} vs best single ${Math.min(...w.fit.candidateCrps).toFixed(2)}` +
          (dropped.length > 0 ? `; dropped below ${w.fit.minWeight}: ${dropped.join(", ")}` : "")
      )
      return { model: "ensemble" as const, members: w.members, ensemble: w.fit as EnsembleFit | undefined }
    }
    return single(requested)
  })

interface ResolvedMembers {
  readonly model: ModelKind | "ensemble"
  readonly members: ReadonlyArray<{ readonly kind: ModelKind; readonly weight: number }>
  readonly ensemble: EnsembleFit | undefined
}

const single = (kind: ModelKind): ResolvedMembers => ({ model: kind, members: [{ kind, weight: 1 }], ensemble: undefined })

export const issueForecast = (req: ForecastRequest) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    yield* catchUpProjections
    const watermark = yield* readModelWatermark
    const span = yield* tweetSpan(req.account, watermark, req.countKinds)
    if (span === undefined)
      return yield* Effect.fail(new Error(`the store holds no tweets of @${req.account} of the kinds ${req.countKinds.join(", ")}: run \`musktracker import FILE\` or \`musktracker ingest\` first`))
    const latest = latestFitOrigin(span.last, req.now)
    let origin = latest
    if (req.from !== undefined) {
      origin = hourFloor(req.from)
      if (origin > latest)
        return yield* new UsageError({
          message: `--from ${toIsoUtc(req.from)} is after the end of the data: the last complete hour of tweets ends at ${toIsoUtc(latest)}`
        })
    }
    const firstHour = hourFloor(span.first)
    if (origin <= firstHour) return yield* new UsageError({ message: `the origin ${toIsoUtc(origin)} is not after the first tweet (${toIsoUtc(span.first)})` })
    const window = req.window ?? { start: origin, end: origin + (req.horizonHours ?? 168) * HOUR_MS }
    if (window.start < firstHour)
      return yield* new UsageError({ message: `--window starts at ${toIsoUtc(window.start)}, before the tweet record does (${toIsoUtc(firstHour)})` })
    const plan = planForecast(window, origin)
    if (typeof plan === "string") return yield* new UsageError({ message: `--window: ${plan}` })
    // The models simulate every hour from the origin to the window's end: that span, not the window's
    // length, is what MAX_FORECAST_HOURS bounds (a week two years out would simulate two years).
    if (plan.simulateHours > MAX_FORECAST_HOURS)
      return yield* new UsageError({
        message: `--window ends ${Number((plan.simulateHours / 24).toFixed(1))} days after the forecast origin ${toIsoUtc(origin)}; forecasts reach at most ${MAX_FORECAST_HOURS / 24} days ahead`
      })

    const notes: string[] = []
    const resolved = yield* resolveMembers(req.account, req.model, notes, req.backtest)
    const plans = yield* planFits(req.account, resolved.members.map((m) => m.kind), req.countKinds, origin)
    const lookback = Math.max(
      ...plans.map((p) =>
        p.decision._tag === "Use" ? (p.decision.row.trainEnd - p.decision.row.trainStart) / HOUR_MS + p.decision.row.warmupHours : refitLookbackHours(p.kind, p.decision.trainWindow)
      )
    )
    const loaded = yield* knowledgeFromReadModels({
      account: req.account,
      until: watermark,
      kinds: req.countKinds,
      firstTweetAt: span.first,
      from: Math.min(origin - lookback * HOUR_MS, window.start)
    })
    const fits = yield* resolveFits(plans, { account: req.account, knowledge: loaded.knowledge, watermark, origin, countKinds: req.countKinds, firstHour })
    for (const f of fits.values()) if (f.note !== undefined) notes.push(f.note)

    const prepared = yield* Effect.try({
      try: () => resolved.members.map((m) => prepareMember(loaded.knowledge, plan, fits.get(m.kind)!.fit, m.weight, req.seed, fits.get(m.kind)!.refitted)),
      catch: (e) => new Error(`cannot build the model inputs at ${toIsoUtc(origin)}: ${e instanceof Error ? e.message : String(e)}`)
    })
    const raw = yield* Effect.try({
      try: () => computeForecast(loaded.knowledge, plan, prepared, req),
      catch: (e) => new Error(`forecast failed: ${e instanceof Error ? e.message : String(e)}`)
    })
    let outcome = raw
    let calibration: ForecastIssuedData["calibration"]
    if (req.calibrate === true) {
      const model = resolved.model
      if (model === "ensemble") return yield* new UsageError({ message: "--calibrate recalibrates one model; the ensemble is not one (choose --model)" })
      const reference = yield* chosenBacktest(req.account, req.backtest)
      if (reference === undefined || !reference.models.includes(model))
        return yield* Effect.fail(new Error(`--calibrate needs a completed backtest of ${model}: run \`musktracker train --model ${model}\` first`))
      const atDays = calibrationOffset(plan)
      const pits = pastPits(yield* backtestPitsFromLog(reference.backtestId, model), origin, atDays)
      if (pits.length < CALIBRATION_MIN_WINDOWS)
        return yield* Effect.fail(
          new Error(`--calibrate needs ${CALIBRATION_MIN_WINDOWS} backtest weeks of ${model} that ended before ${toIsoUtc(origin)}; backtest ${reference.backtestId} has ${pits.length} (train with more --backtest-windows or --burn-in-weeks)`)
        )
      outcome = calibrateOutcome(raw, pits, req.brackets)
      calibration = { backtestId: reference.backtestId, atDays, windows: pits.length }
      notes.push(`recalibrated the window total from ${model}'s PITs over ${pits.length} earlier weeks of backtest ${reference.backtestId} (issue offset ${atDays} days)`)
    }
    const data = assembleIssued({
      forecastId: req.forecastId ?? randomUUID(),
      account: req.account,
      model: resolved.model,
      requested: req.model,
      prepared,
      outcome,
      ensemble: resolved.ensemble,
      plan,
      horizon: req.window === undefined ? formatHorizon(plan.simulateHours) : undefined,
      watermark,
      countKinds: req.countKinds,
      seed: req.seed,
      paths: req.paths,
      codeVersion: codeVersion(),
      notes,
      ...(calibration !== undefined && { calibration })
    })
    const { stream, event } = ForecastIssued.toAppend(data, { codeVersion: data.codeVersion, correlationId: data.forecastId })
    yield* store.append(stream, [event], ExpectedRevision.noStream)
    // Leave the forecast projected: `status` then shows no lag and `projections verify` covers it.
    yield* catchUpProjections
    const staleWarning = staleDataWarning(span.last, origin, req.now, req.from !== undefined)
    return { data, outcome, ...(staleWarning !== undefined && { staleWarning }) } satisfies IssuedForecast
  })
