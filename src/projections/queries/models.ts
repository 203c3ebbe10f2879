/**
 * Reading the `models` read model (src/projections/models.ts): fitted models with their spec,
 * parameters and diagnostics as the ModelFitted event carried them. Instants are epoch ms; "latest"
 * means the highest global log position. These read what the projection holds: catch up first
 * (`catchUpProjections`) to include the latest fits.
 */
import type { Database } from "../../adapters/sql/tables"
import { UUID_PATTERN } from "../../domain/uuid"
import { Effect } from "effect"
import { sql, type Kysely, type RawBuilder } from "kysely"
import { SqlDatabase } from "../../adapters/sql/database"
import type { FittedModel, ModelKind } from "../../domain/models/model"
import { MODELS_TABLE } from "../models"
import type { TweetKind } from "./counts"
import { runQuery, jsonValue } from "./run-query"



const UUID = UUID_PATTERN

export interface ModelRow {
  readonly modelId: string
  /** The account whose tweets it was fitted on. */
  readonly account: string
  readonly kind: ModelKind
  readonly spec: Readonly<Record<string, unknown>>
  /** Training window [trainStart, trainEnd), epoch ms; trainEnd is the origin the fit is as of. */
  readonly trainStart: number
  readonly trainEnd: number
  readonly warmupHours: number
  /** `<n>w` or `since-regime`. */
  readonly trainWindow: string
  /** Last global log position the fit read. */
  readonly watermark: bigint
  readonly countKinds: ReadonlyArray<TweetKind>
  readonly params: Readonly<Record<string, unknown>>
  readonly diagnostics: Readonly<Record<string, unknown>>
  readonly backtestId: string | null
  readonly fitSeconds: number
  /** When the ModelFitted event was recorded (epoch ms). */
  readonly fittedAt: number
  readonly codeVersion: string
  /** Global log position of the ModelFitted event. */
  readonly position: bigint
}

/** The fit as the model contract's FittedModel (what `forecast` takes). */
export const fittedModelOf = (row: ModelRow): FittedModel => ({
  kind: row.kind,
  params: row.params as Record<string, unknown>,
  diagnostics: row.diagnostics as Record<string, unknown>
})

const select = (db: Kysely<Database>, where: RawBuilder<unknown>, limit?: number) =>
  sql<Record<string, unknown>>`
    select model_id::text as model_id, account, kind, spec,
           (extract(epoch from train_start) * 1000)::float8 as train_start_ms, (extract(epoch from train_end) * 1000)::float8 as train_end_ms,
           warmup_hours, train_window, watermark::text as watermark, count_kinds, params, diagnostics, backtest_id::text as backtest_id,
           fit_seconds, (extract(epoch from fitted_at) * 1000)::float8 as fitted_ms, code_version, position::text as position
    from ${sql.table(MODELS_TABLE)}
    where ${where}
    order by position desc
    ${limit !== undefined ? sql`limit ${limit}` : sql``}`.execute(db)

const toRow = (row: Record<string, unknown>): ModelRow => ({
  modelId: String(row.model_id),
  account: String(row.account),
  kind: row.kind as ModelKind,
  spec: jsonValue(row.spec) as Record<string, unknown>,
  trainStart: Number(row.train_start_ms),
  trainEnd: Number(row.train_end_ms),
  warmupHours: Number(row.warmup_hours),
  trainWindow: String(row.train_window),
  watermark: BigInt(String(row.watermark)),
  countKinds: jsonValue(row.count_kinds) as TweetKind[],
  params: jsonValue(row.params) as Record<string, unknown>,
  diagnostics: jsonValue(row.diagnostics) as Record<string, unknown>,
  backtestId: row.backtest_id === null ? null : String(row.backtest_id),
  fitSeconds: Number(row.fit_seconds),
  fittedAt: Number(row.fitted_ms),
  codeVersion: String(row.code_version),
  position: BigInt(String(row.position))
})

/** The account's most recent ModelFitted of `kind` (highest log position), or undefined when none. */
export const latestModelFitted = (account: string, kind: ModelKind) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () => select(db, sql`account = ${account} and kind = ${kind}`, 1))
    return r.rows.length === 0 ? undefined : toRow(r.rows[0]!)
  })

/** The fit with this model id, or undefined (also for a string that is not a UUID). */
export const modelById = (modelId: string) =>
  Effect.gen(function* () {
    if (!UUID.test(modelId)) return undefined
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () => select(db, sql`model_id = ${modelId.toLowerCase()}::uuid`))
    return r.rows.length === 0 ? undefined : toRow(r.rows[0]!)
  })

/** Every fit (of one account and one kind, where given), newest first. */
export const listModels = (q: { readonly account?: string; readonly kind?: ModelKind } = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const account = q.account !== undefined ? sql`account = ${q.account}` : sql`true`
    const r = yield* runQuery(describe, () => select(db, q.kind !== undefined ? sql`${account} and kind = ${q.kind}` : account))
    return r.rows.map(toRow) as ReadonlyArray<ModelRow>
  })
