/**
 * `FeatureSpec`: which feature columns a model uses, by stable name. It is stored in `ModelFitted` and
 * `ForecastIssued` events, so its JSON form and hash must never change meaning: a change of any column
 * definition bumps `version` (and so the hash).
 *
 * Column grammar (docs/features.md defines each one):
 *   lag_<L>                  count L hours before the hour (L >= 1)
 *   roll_sum_<W> roll_mean_<W> roll_var_<W>
 *                            over the W hours before the hour (var: sample variance, W >= 2)
 *   hour_<0..23> dow_<0..6>  calendar dummies (UTC; Monday = 0)
 *   fourier_day_sin_<k> fourier_day_cos_<k>    k = 1..12, period 24 h
 *   fourier_week_sin_<k> fourier_week_cos_<k>  k = 1..84, period 168 h
 *   exo_intensity exo_count  curated events covering the hour (as known at the cutoff)
 *   regime_index regime_<k>  regime ordinal, and dummy of the k-th regime (k >= 1)
 *   log1p_<column>           log(1 + x) of a lag, rolling, exo or regime_index column
 */
import { Data, Either, Schema } from "effect"
import { canonicalJson, sha256Hex } from "../hash"

export { canonicalJson }

export const FEATURE_SPEC_VERSION = 1 as const

export interface FeatureSpec {
  readonly version: typeof FEATURE_SPEC_VERSION
  readonly columns: ReadonlyArray<string>
}

export class InvalidFeatureSpec extends Data.TaggedError("InvalidFeatureSpec")<{
  readonly column: string
  readonly reason: string
}> {
  override get message(): string {
    return `invalid feature column "${this.column}": ${this.reason}`
  }
}

/** A parsed column name. */
export type ColumnDef =
  | { readonly kind: "lag"; readonly hours: number }
  | { readonly kind: "roll_sum" | "roll_mean" | "roll_var"; readonly hours: number }
  | { readonly kind: "hour"; readonly k: number }
  | { readonly kind: "dow"; readonly k: number }
  | { readonly kind: "fourier"; readonly period: "day" | "week"; readonly fn: "sin" | "cos"; readonly k: number }
  | { readonly kind: "exo_intensity" }
  | { readonly kind: "exo_count" }
  | { readonly kind: "regime_index" }
  | { readonly kind: "regime"; readonly k: number }
  | { readonly kind: "log1p"; readonly inner: ColumnDef }

/** Largest window any history feature may look back (10 years of hours): guards against typos. */
const MAX_HOURS = 24 * 366 * 10

const intIn = (text: string, lo: number, hi: number): number | undefined => {
  if (!/^(0|[1-9]\d{0,5})$/.test(text)) return undefined
  const v = Number(text)
  return v >= lo && v <= hi ? v : undefined
}

/** Parses one column name, or says why it is not one. */
export const parseColumn = (name: string): Either.Either<ColumnDef, InvalidFeatureSpec> => {
  const bad = (reason: string) => Either.left(new InvalidFeatureSpec({ column: name, reason }))
  if (name.startsWith("log1p_")) {
    const inner = parseColumn(name.slice(6))
    if (Either.isLeft(inner)) return bad(`log1p of an invalid column: ${inner.left.reason}`)
    const k = inner.right.kind
    return k === "lag" || k === "roll_sum" || k === "roll_mean" || k === "roll_var" || k === "exo_intensity" || k === "exo_count" || k === "regime_index"
      ? Either.right({ kind: "log1p", inner: inner.right })
      : bad("log1p applies to lag_, roll_, exo_ and regime_index columns only")
  }
  if (name === "exo_intensity" || name === "exo_count" || name === "regime_index") return Either.right({ kind: name })
  let m = /^lag_(\w+)$/.exec(name)
  if (m) {
    const hours = intIn(m[1]!, 1, MAX_HOURS)
    return hours === undefined ? bad(`lag must be an integer in 1..${MAX_HOURS}`) : Either.right({ kind: "lag", hours })
  }
  m = /^(roll_sum|roll_mean|roll_var)_(\w+)$/.exec(name)
  if (m) {
    const kind = m[1] as "roll_sum" | "roll_mean" | "roll_var"
    const lo = kind === "roll_var" ? 2 : 1
    const hours = intIn(m[2]!, lo, MAX_HOURS)
    return hours === undefined ? bad(`window must be an integer in ${lo}..${MAX_HOURS}`) : Either.right({ kind, hours })
  }
  m = /^hour_(\w+)$/.exec(name)
  if (m) {
    const k = intIn(m[1]!, 0, 23)
    return k === undefined ? bad("hour must be 0..23") : Either.right({ kind: "hour", k })
  }
  m = /^dow_(\w+)$/.exec(name)
  if (m) {
    const k = intIn(m[1]!, 0, 6)
    return k === undefined ? bad("day of week must be 0..6 (Monday = 0)") : Either.right({ kind: "dow", k })
  }
  m = /^fourier_(day|week)_(sin|cos)_(\w+)$/.exec(name)
  if (m) {
    const period = m[1] as "day" | "week"
    const k = intIn(m[3]!, 1, period === "day" ? 12 : 84)
    return k === undefined
      ? bad(`harmonic must be 1..${period === "day" ? 12 : 84}`)
      : Either.right({ kind: "fourier", period, fn: m[2] as "sin" | "cos", k })
  }
  m = /^regime_(\w+)$/.exec(name)
  if (m) {
    const k = intIn(m[1]!, 1, 999)
    return k === undefined ? bad("regime number must be 1..999") : Either.right({ kind: "regime", k })
  }
  return bad("unknown column (see docs/features.md for the column names)")
}

/** Hours of count history a column needs before the hour it describes (0 for calendar/exo/regime). */
export const lookbackHours = (c: ColumnDef): number => {
  switch (c.kind) {
    case "log1p":
      return lookbackHours(c.inner)
    case "lag":
    case "roll_sum":
    case "roll_mean":
    case "roll_var":
      return c.hours
    default:
      return 0
  }
}

/** A validated spec: known, distinct column names, at least one. */
export const makeFeatureSpec = (columns: ReadonlyArray<string>): Either.Either<FeatureSpec, InvalidFeatureSpec> => {
  if (columns.length === 0) return Either.left(new InvalidFeatureSpec({ column: "", reason: "a spec names at least one column" }))
  const seen = new Set<string>()
  for (const c of columns) {
    const parsed = parseColumn(c)
    if (Either.isLeft(parsed)) return Either.left(parsed.left)
    if (seen.has(c)) return Either.left(new InvalidFeatureSpec({ column: c, reason: "named twice" }))
    seen.add(c)
  }
  return Either.right({ version: FEATURE_SPEC_VERSION, columns: [...columns] })
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** Default column groups, in their stable order. */
export const COLUMN_GROUPS = {
  lags: [1, 2, 3, 24, 168].map((l) => `lag_${l}`),
  rolling: [24, 168].flatMap((w) => [`roll_mean_${w}`, `roll_var_${w}`]),
  /** Hour 0 and Monday are the baselines, so the dummies do not duplicate an intercept. */
  hourDummies: range(1, 23).map((h) => `hour_${h}`),
  dowDummies: range(1, 6).map((d) => `dow_${d}`),
  fourier: [
    ...range(1, 3).flatMap((k) => [`fourier_day_sin_${k}`, `fourier_day_cos_${k}`]),
    ...range(1, 3).flatMap((k) => [`fourier_week_sin_${k}`, `fourier_week_cos_${k}`])
  ],
  exogenous: ["exo_intensity"]
} as const

/**
 * Every default column; with `regimes` > 0 (regime events exist), also `regime_index` and one dummy per
 * regime after the first (`regime_1` .. `regime_<regimes>`; the period before any shift is the baseline).
 */
export const defaultFeatureSpec = (options: { readonly regimes?: number } = {}): FeatureSpec => {
  const regimes = options.regimes ?? 0
  const g = COLUMN_GROUPS
  return {
    version: FEATURE_SPEC_VERSION,
    columns: [
      ...g.lags,
      ...g.rolling,
      ...g.hourDummies,
      ...g.dowDummies,
      ...g.fourier,
      ...g.exogenous,
      ...(regimes > 0 ? ["regime_index", ...range(1, regimes).map((k) => `regime_${k}`)] : [])
    ]
  }
}

/** Schema of a spec inside events: rejects unknown or duplicate column names on decode. */
export const FeatureSpecSchema = Schema.Struct({
  version: Schema.Literal(FEATURE_SPEC_VERSION),
  columns: Schema.Array(Schema.String)
}).pipe(
  Schema.filter((s) => {
    const r = makeFeatureSpec(s.columns)
    return Either.isRight(r) || r.left.message
  })
)

/** `sha256:<hex>` of the spec's canonical JSON; column order matters (it is the design-matrix order). */
export const featureSpecHash = (spec: FeatureSpec): string =>
  "sha256:" + sha256Hex(canonicalJson({ version: spec.version, columns: spec.columns }))

/** Hours of history the spec needs before its first row. */
export const specLookbackHours = (spec: FeatureSpec): number =>
  spec.columns.reduce((m, c) => Math.max(m, lookbackHours(Either.getOrThrow(parseColumn(c)))), 0)
