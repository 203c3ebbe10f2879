/**
 * Reading the forecast read models (src/projections/forecasts.ts): issued forecasts with their hourly
 * fan, brackets and score. Instants are epoch ms; "newest" means the highest log position. These read
 * what the projection holds: catch up first (`catchUpProjections`) to include the latest forecasts.
 */
import type { Database } from "../../adapters/sql/tables"
import { UUID_PATTERN } from "../../domain/uuid"
import type { ForecastScore } from "../../domain/forecast/score"
import { Effect } from "effect"
import { sql, type Kysely, type RawBuilder } from "kysely"
import { SqlDatabase } from "../../adapters/sql/database"
import type { EnsembleFit, ForecastIssuedData, ForecastMember, ForecastResult } from "../../domain/events/forecast"
import { TOTAL_QUANTILES } from "../../domain/models/model"
import { FORECAST_TABLES } from "../forecasts"
import type { TweetKind } from "./counts"
import { runQuery, jsonValue } from "./run-query"


const msOf = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`)
const UUID = UUID_PATTERN

export interface ForecastScoreRow extends ForecastScore {
  readonly scoredAt: number
}

export interface ForecastRow {
  readonly forecastId: string
  /** The account whose tweets it forecast. */
  readonly account: string
  readonly model: ForecastIssuedData["model"]
  readonly requested: string
  readonly members: ReadonlyArray<ForecastMember>
  readonly ensemble: EnsembleFit | null
  readonly origin: number
  readonly windowStart: number
  readonly windowEnd: number
  readonly horizon: string | null
  readonly watermark: bigint
  readonly countKinds: ReadonlyArray<TweetKind>
  readonly seed: number
  readonly paths: number
  readonly codeVersion: string
  readonly notes: ReadonlyArray<string>
  readonly observed: { readonly count: number; readonly hours: number }
  /** Window total: mean and quantiles at TOTAL_QUANTILES. */
  readonly total: ForecastResult["total"]
  readonly remaining: ForecastResult["remaining"]
  readonly days: ForecastResult["days"]
  readonly issuedAt: number
  readonly position: bigint
  readonly score: ForecastScoreRow | null
  /** The recalibration it was issued with (`forecast --calibrate`), or null. */
  readonly calibration: NonNullable<ForecastIssuedData["calibration"]> | null
}

const select = (db: Kysely<Database>, where: RawBuilder<unknown>, limit?: number) =>
  sql<Record<string, unknown>>`
    select f.forecast_id::text as forecast_id, f.account, f.model, f.requested, f.members, f.ensemble, ${msOf("f.origin")} as origin_ms,
           ${msOf("f.window_start")} as start_ms, ${msOf("f.window_end")} as end_ms, f.horizon, f.watermark::text as watermark,
           f.count_kinds, f.seed::text as seed, f.paths, f.code_version, f.notes, f.observed_count, f.observed_hours,
           f.total_mean, f.total_q05, f.total_q10, f.total_q25, f.total_q50, f.total_q75, f.total_q90, f.total_q95,
           f.remaining, f.days, ${msOf("f.issued_at")} as issued_ms, f.position::text as position, f.calibration,
           s.actual, s.crps, s.log_score, s.pit, s.inside50, s.inside80, s.inside95, ${msOf("s.scored_at")} as scored_ms
    from ${sql.table(FORECAST_TABLES.forecasts)} f
    left join ${sql.table(FORECAST_TABLES.scores)} s on s.forecast_id = f.forecast_id
    where ${where}
    order by f.position desc
    ${limit !== undefined ? sql`limit ${limit}` : sql``}`.execute(db)

const toRow = (r: Record<string, unknown>): ForecastRow => ({
  forecastId: String(r.forecast_id),
  account: String(r.account),
  model: String(r.model) as ForecastIssuedData["model"],
  requested: String(r.requested),
  members: jsonValue(r.members) as ForecastMember[],
  ensemble: r.ensemble === null ? null : (jsonValue(r.ensemble) as EnsembleFit),
  origin: Number(r.origin_ms),
  windowStart: Number(r.start_ms),
  windowEnd: Number(r.end_ms),
  horizon: r.horizon === null ? null : String(r.horizon),
  watermark: BigInt(String(r.watermark)),
  countKinds: jsonValue(r.count_kinds) as TweetKind[],
  seed: Number(r.seed),
  paths: Number(r.paths),
  codeVersion: String(r.code_version),
  notes: jsonValue(r.notes) as string[],
  observed: { count: Number(r.observed_count), hours: Number(r.observed_hours) },
  total: {
    mean: Number(r.total_mean),
    quantiles: TOTAL_QUANTILES.map((level) => ({ level, value: Number(r[`total_q${String(Math.round(level * 100)).padStart(2, "0")}`]) }))
  },
  remaining: jsonValue(r.remaining) as ForecastResult["remaining"],
  days: jsonValue(r.days) as ForecastResult["days"],
  issuedAt: Number(r.issued_ms),
  position: BigInt(String(r.position)),
  calibration: r.calibration === null || r.calibration === undefined ? null : (jsonValue(r.calibration) as NonNullable<ForecastIssuedData["calibration"]>),
  score:
    r.actual === null || r.actual === undefined
      ? null
      : {
          actual: Number(r.actual),
          crps: Number(r.crps),
          logScore: Number(r.log_score),
          pit: Number(r.pit),
          inside50: Boolean(r.inside50),
          inside80: Boolean(r.inside80),
          inside95: Boolean(r.inside95),
          scoredAt: Number(r.scored_ms)
        }
})

export interface ForecastListQuery {
  /** Only forecasts of this account. */
  readonly account?: string
  readonly limit?: number
  /** Only forecasts with (true) or without (false) a score. */
  readonly scored?: boolean
  /** Only forecasts whose window ended at or before this instant (epoch ms). */
  readonly endedBy?: number
}

/** Forecasts, newest first. */
export const listForecasts = (q: ForecastListQuery = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const conditions: RawBuilder<unknown>[] = [sql`true`]
    if (q.account !== undefined) conditions.push(sql`f.account = ${q.account}`)
    if (q.scored === true) conditions.push(sql`s.forecast_id is not null`)
    if (q.scored === false) conditions.push(sql`s.forecast_id is null`)
    if (q.endedBy !== undefined) conditions.push(sql`f.window_end <= ${new Date(q.endedBy).toISOString()}::timestamptz`)
    const r = yield* runQuery(describe, () => select(db, sql.join(conditions, sql` and `), q.limit))
    return r.rows.map(toRow) as ReadonlyArray<ForecastRow>
  })

/** The forecast with this id, or undefined (also for a string that is not a UUID). */
export const forecastById = (forecastId: string) =>
  Effect.gen(function* () {
    if (!UUID.test(forecastId)) return undefined
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () => select(db, sql`f.forecast_id = ${forecastId.toLowerCase()}::uuid`))
    return r.rows.length === 0 ? undefined : toRow(r.rows[0]!)
  })

export interface ForecastHourRow {
  readonly hourStart: number
  readonly mean: number
  readonly q10: number
  readonly q50: number
  readonly q90: number
}

/** The hourly fan of a forecast, in hour order. */
export const forecastHours = (forecastId: string) =>
  Effect.gen(function* () {
    if (!UUID.test(forecastId)) return [] as ReadonlyArray<ForecastHourRow>
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      sql<Record<string, unknown>>`
        select ${msOf("hour_start")} as hour_ms, mean, q10, q50, q90 from ${sql.table(FORECAST_TABLES.hours)}
        where forecast_id = ${forecastId.toLowerCase()}::uuid order by hour_start`.execute(db)
    )
    return r.rows.map((x) => ({ hourStart: Number(x.hour_ms), mean: Number(x.mean), q10: Number(x.q10), q50: Number(x.q50), q90: Number(x.q90) }))
  })

export interface ForecastBracketRow {
  readonly label: string
  readonly lo: number
  readonly hi: number | null
  readonly count: number
  readonly probability: number
}

/** The bracket probabilities of a forecast, in bracket order (empty when none were asked). */
export const forecastBrackets = (forecastId: string) =>
  Effect.gen(function* () {
    if (!UUID.test(forecastId)) return [] as ReadonlyArray<ForecastBracketRow>
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      sql<Record<string, unknown>>`
        select label, lo, hi, count, probability from ${sql.table(FORECAST_TABLES.brackets)}
        where forecast_id = ${forecastId.toLowerCase()}::uuid order by idx`.execute(db)
    )
    return r.rows.map((x) => ({
      label: String(x.label),
      lo: Number(x.lo),
      hi: x.hi === null ? null : Number(x.hi),
      count: Number(x.count),
      probability: Number(x.probability)
    }))
  })
