/**
 * `musktracker features show --from ISO --to ISO [--columns C,...] [--as-of ISO] [--format table|csv]`:
 * the feature rows of the hours [from, to) as known at a cutoff (default: now), computed on demand from
 * the read models through the same as-of function training and backtests use (docs/features.md).
 *
 * Columns: names (lag_24, roll_var_168, hour_3, exo_intensity, ...) or groups (lags, rolling,
 * hour_dummies, dow_dummies, fourier, exogenous, default), comma-separated or repeated.
 */
import { resolveAccount } from "../cli/account"
import { Clock, Console, Effect, Either, Option } from "effect"
import { featureRow } from "../../domain/features/matrix"
import { COLUMN_GROUPS, defaultFeatureSpec, featureSpecHash, makeFeatureSpec, type FeatureSpec } from "../../domain/features/spec"
import { HOUR_MS, parseInstant, toIsoUtc } from "../../domain/time"
import { featuresFromReadModels } from "../../projections/queries/features"
import { regimesList } from "../../projections/queries/regimes"
import { catchUpProjections } from "../catch-up"
import { requireKnownAccount } from "../accounts/known"
import { renderTable } from "../cli/format"
import { UsageError } from "../cli/usage-error"
import { StoreLayer } from "../layers"

const GROUPS: Record<string, ReadonlyArray<string>> = {
  lags: COLUMN_GROUPS.lags,
  rolling: COLUMN_GROUPS.rolling,
  hour_dummies: COLUMN_GROUPS.hourDummies,
  dow_dummies: COLUMN_GROUPS.dowDummies,
  calendar: [...COLUMN_GROUPS.hourDummies, ...COLUMN_GROUPS.dowDummies],
  fourier: COLUMN_GROUPS.fourier,
  exogenous: COLUMN_GROUPS.exogenous,
  default: defaultFeatureSpec().columns
}

/** `--columns` values (comma-separated, repeatable, group names allowed) to a spec. */
export const specFromColumns = (values: ReadonlyArray<string>, regimes = 0): Either.Either<FeatureSpec, UsageError> => {
  if (values.length === 0) return Either.right(defaultFeatureSpec({ regimes }))
  const names: string[] = []
  for (const part of values.flatMap((v) => v.split(",")).map((s) => s.trim()).filter((s) => s.length > 0))
    for (const c of GROUPS[part] ?? [part]) if (!names.includes(c)) names.push(c)
  return Either.mapLeft(makeFeatureSpec(names), (e) => new UsageError({ message: `--columns: ${e.message}` }))
}

const formatValue = (v: number, csv: boolean): string => {
  if (Number.isNaN(v)) return csv ? "" : "NA"
  if (Number.isInteger(v)) return String(v)
  return csv ? String(v) : v.toFixed(4)
}

/** Most rows `features show` prints (a year of hours); ask for a narrower range beyond that. */
export const MAX_ROWS = 24 * 366

export interface ShowArgs {
  readonly account: Option.Option<string>
  readonly from: string
  readonly to: string
  readonly columns: ReadonlyArray<string>
  readonly asOf: Option.Option<string>
  readonly format: "table" | "csv"
}

export const showFeatures = (a: ShowArgs) =>
  Effect.gen(function* () {
    const account = yield* resolveAccount(a.account)
    const anyInstant = (flag: string, text: string) => {
      const v = parseInstant(text)
      return v === undefined
        ? Effect.fail(new UsageError({ message: `${flag}: "${text}" is not an ISO 8601 instant with an offset (e.g. 2025-01-15T00:00:00Z)` }))
        : Effect.succeed(v)
    }
    const instant = (flag: string, text: string) =>
      Effect.filterOrFail(anyInstant(flag, text), (v) => v % HOUR_MS === 0, () => new UsageError({ message: `${flag}: ${text} is not on a UTC hour (rows are UTC hours)` }))
    const from = yield* instant("--from", a.from)
    const to = yield* instant("--to", a.to)
    if (to <= from) return yield* new UsageError({ message: `--to (${a.to}) must be after --from (${a.from})` })
    if ((to - from) / HOUR_MS > MAX_ROWS) return yield* new UsageError({ message: `at most ${MAX_ROWS} rows per call; narrow --from/--to` })
    const cutoff = Option.isSome(a.asOf) ? yield* anyInstant("--as-of", a.asOf.value) : yield* Clock.currentTimeMillis
    yield* catchUpProjections
    yield* requireKnownAccount(account)
    // Regime starts of the detector the models use, each knowable from its detection time.
    const regimes = (yield* regimesList({ account, detector: "bocpd" })).map((r) => ({ at: r.at, regimeId: r.eventId, knownAt: r.detectedAt }))
    const knownStarts = new Set(regimes.filter((r) => r.knownAt < cutoff).map((r) => r.at)).size
    const spec = yield* specFromColumns(a.columns, knownStarts)
    const { matrix } = yield* featuresFromReadModels({ account, from, to, spec, cutoff, regimes })
    const csv = a.format === "csv"
    const header = ["hour", ...matrix.columns]
    const rows: string[][] = []
    for (let r = 0; r < matrix.rows; r++) {
      const row = featureRow(matrix, r)
      rows.push([toIsoUtc(matrix.start + r * HOUR_MS), ...matrix.columns.map((c) => formatValue(row[c]!, csv))])
    }
    if (csv) yield* Console.log([header, ...rows].map((r) => r.join(",")).join("\n"))
    else {
      yield* Console.log(`features as known at ${toIsoUtc(cutoff)}; spec ${featureSpecHash(spec).slice(0, 19)} (${spec.columns.length} columns); NA = not knowable at the cutoff`)
      yield* Console.log(renderTable(header, rows))
    }
    return matrix
  })

// ---- the command's entry points: the configured store provided once, at the edge ----
export const runShowFeatures = (a: ShowArgs) => showFeatures(a).pipe(Effect.provide(StoreLayer))
