/**
 * What each endpoint answers, as Effects over the read models (no HTTP here: ./http.ts routes to these).
 * Query values are checked and a bad one is an ApiBadRequest naming it; an unknown id an ApiNotFound.
 */
import { Clock, Data, Effect, Schema } from "effect"
import { parseAccount } from "../../domain/accounts/account"
import { parseWindow } from "../../domain/forecast/horizon"
import { DAY_MS, HOUR_MS, dayFloor, hourFloor, parseInstant, toIsoUtc } from "../../domain/time"
import { referenceBacktestSummaries } from "../../projections/queries/backtests"
import { dailyCounts, dataExtent, hourlyCounts, type TweetKind } from "../../projections/queries/counts"
import { countRange, parseCountKinds } from "../../domain/counts/query"
import { forecastBrackets, forecastById, forecastHours, listForecasts, type ForecastRow } from "../../projections/queries/forecasts"
import { requireKnownAccount } from "../accounts/known"
import { BacktestLatest, Counts, ForecastDetail, ForecastList, ForecastSummary } from "./schemas"

export class ApiBadRequest extends Data.TaggedError("ApiBadRequest")<{ readonly detail: string }> {}
export class ApiNotFound extends Data.TaggedError("ApiNotFound")<{ readonly detail: string }> {}

/** Most buckets one /counts answer holds (a year of hours). */
export const MAX_BUCKETS = 24 * 366

export type Query = Readonly<Record<string, string | undefined>>

const bad = (detail: string) => Effect.fail(new ApiBadRequest({ detail }))

export const accountOf = (q: Query, fallback: string) => {
  if (q.account === undefined) return Effect.succeed(fallback)
  const r = parseAccount(q.account)
  return "account" in r ? Effect.succeed(r.account) : bad(`account ${r.problem}`)
}

const instantOf = (q: Query, name: string) => {
  const raw = q[name]
  if (raw === undefined) return Effect.succeed(undefined)
  const ms = parseInstant(raw)
  return ms === undefined ? bad(`${name} "${raw}" is not an ISO 8601 instant with an offset (e.g. 2025-12-01T00:00:00Z)`) : Effect.succeed(ms)
}

const kindsOf = (raw: string | undefined): Effect.Effect<ReadonlyArray<TweetKind>, ApiBadRequest> => {
  const kinds = parseCountKinds(raw ?? "all")
  return typeof kinds === "string" ? bad(`count ${kinds}`) : Effect.succeed(kinds)
}

/** GET /counts?from&to&granularity=hour|day&count=...&account=... */
export const countsAnswer = (q: Query, defaultAccount: string) =>
  Effect.gen(function* () {
    const account = yield* accountOf(q, defaultAccount)
    const granularity = q.granularity ?? "hour"
    if (granularity !== "hour" && granularity !== "day") return yield* bad(`granularity "${granularity}" is not hour or day`)
    const kinds = yield* kindsOf(q.count)
    const width = granularity === "day" ? DAY_MS : HOUR_MS
    const floor = granularity === "day" ? dayFloor : hourFloor
    const givenTo = yield* instantOf(q, "to")
    const givenFrom = yield* instantOf(q, "from")
    yield* requireKnownAccount(account).pipe(Effect.catchTag("UnknownAccount", (e) => Effect.fail(new ApiNotFound({ detail: e.message }))))
    const lastTweetAt = givenTo === undefined ? (yield* dataExtent(account))?.last : undefined
    const { from, to } = countRange(granularity, { from: givenFrom, to: givenTo }, lastTweetAt, yield* Clock.currentTimeMillis)
    if (to <= from) return yield* bad(`from ${toIsoUtc(from)} is not before to ${toIsoUtc(to)}`)
    if ((to - floor(from)) / width > MAX_BUCKETS) return yield* bad(`at most ${MAX_BUCKETS} buckets per request; narrow from/to`)
    const buckets = yield* (granularity === "day" ? dailyCounts : hourlyCounts)({ account, from, to, kinds })
    return Counts.make({ account, granularity, count: [...kinds], rows: buckets.map((b) => ({ start: toIsoUtc(b.bucketStart), count: b.count })) })
  })

const summary = (r: ForecastRow): typeof ForecastSummary.Type => ({
  id: r.forecastId,
  account: r.account,
  model: r.model,
  issued_at: toIsoUtc(r.issuedAt),
  origin: toIsoUtc(r.origin),
  window: { start: toIsoUtc(r.windowStart), end: toIsoUtc(r.windowEnd) },
  watermark: r.watermark.toString(),
  observed: r.observed.count,
  total: { mean: r.total.mean, quantiles: r.total.quantiles.map((x) => ({ level: x.level, value: x.value })) },
  calibration: r.calibration === null ? null : { backtest_id: r.calibration.backtestId, at_days: r.calibration.atDays, windows: r.calibration.windows },
  score: r.score === null ? null : { actual: r.score.actual, crps: r.score.crps, pit: r.score.pit, scored_at: toIsoUtc(r.score.scoredAt) }
})

/** GET /forecasts?window=START/END&account=...: the latest forecast of each window (of one window, if given). */
export const forecastsAnswer = (q: Query, defaultAccount: string) =>
  Effect.gen(function* () {
    const account = yield* accountOf(q, defaultAccount)
    let window: { start: number; end: number } | undefined
    if (q.window !== undefined) {
      const w = parseWindow(q.window)
      if (typeof w === "string") return yield* bad(`window ${w}`)
      window = w
    }
    const rows = yield* listForecasts({ account })
    const latest = new Map<string, ForecastRow>()
    // Newest first: the first row of a window is its latest forecast.
    for (const r of rows) {
      if (window !== undefined && (r.windowStart !== window.start || r.windowEnd !== window.end)) continue
      const key = `${r.windowStart}/${r.windowEnd}`
      if (!latest.has(key)) latest.set(key, r)
    }
    return ForecastList.make({ forecasts: [...latest.values()].map(summary) })
  })

/** GET /forecasts/{id} */
export const forecastAnswer = (id: string) =>
  Effect.gen(function* () {
    const row = yield* forecastById(id)
    if (row === undefined) return yield* Effect.fail(new ApiNotFound({ detail: `no forecast ${id}` }))
    const hours = yield* forecastHours(row.forecastId)
    const brackets = yield* forecastBrackets(row.forecastId)
    return ForecastDetail.make({
      ...summary(row),
      requested: row.requested,
      members: row.members.map((m) => ({ kind: m.kind, model_id: m.modelId, weight: m.weight })),
      seed: row.seed,
      paths: row.paths,
      hourly: hours.map((h) => ({ start: toIsoUtc(h.hourStart), mean: h.mean, q10: h.q10, q50: h.q50, q90: h.q90 })),
      brackets: brackets.map((b) => ({ label: b.label, lo: b.lo, hi: b.hi, probability: b.probability })),
      notes: [...row.notes]
    })
  })

/** GET /backtests/latest?account=...: the account's reference backtest (the one `best` and the report use). */
export const backtestAnswer = (q: Query, defaultAccount: string) =>
  Effect.gen(function* () {
    const account = yield* accountOf(q, defaultAccount)
    const ref = yield* referenceBacktestSummaries(account)
    if (ref === undefined) return yield* Effect.fail(new ApiNotFound({ detail: `no completed backtest of @${account}` }))
    return BacktestLatest.make({
      id: ref.backtest.backtestId,
      account,
      completed_at: ref.backtest.completedAt === null ? null : toIsoUtc(ref.backtest.completedAt),
      origins: ref.backtest.origins.map(toIsoUtc),
      models: ref.summaries.map((s) => ({
        model: s.model,
        origins: s.origins,
        crps_week: s.crps_week,
        mae_week: s.mae_week,
        cover80_week: s.cover80_week,
        crps_week_at_1d: s.crps_week_at_1d ?? null,
        crps_week_at_3d: s.crps_week_at_3d ?? null,
        crps_week_at_5d: s.crps_week_at_5d ?? null
      }))
    })
  })

/** A response body encoded through its schema (the documented shape is the served one). */
export const encode = <A, I>(schema: Schema.Schema<A, I>, value: A) => Schema.encodeSync(schema)(value)
