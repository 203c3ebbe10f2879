/**
 * The key fitted parameters of a `ModelFitted`, per model kind, as rows for the report's table.
 * Reads `params`/`diagnostics` as the event stored them (see each model's types) but defensively: a
 * field that is missing or not a number is left out rather than failing the report, and an unknown kind
 * shows its top-level numeric parameters.
 */

export interface ParamRow {
  readonly name: string
  readonly value: string
  /** Standard error, unit or meaning, when known. */
  readonly note?: string
}

type Json = Readonly<Record<string, unknown>>

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined)
const obj = (v: unknown): Json | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined)
const numArray = (v: unknown): number[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x)) ? (v as number[]) : undefined

/** 4 significant digits, no exponent for everyday magnitudes. */
export const fmt = (v: number): string => {
  if (v === 0) return "0"
  const a = Math.abs(v)
  if (a >= 1e6 || a < 1e-4) return v.toExponential(3)
  return Number(v.toPrecision(4)).toString()
}

const se = (v: number | undefined) => (v === undefined ? undefined : `SE ${fmt(v)}`)

const row = (name: string, value: number | undefined, note?: string): ParamRow[] =>
  value === undefined ? [] : [{ name, value: fmt(value), ...(note !== undefined ? { note } : {}) }]

const textRow = (name: string, value: unknown, note?: string): ParamRow[] =>
  typeof value === "string" || typeof value === "boolean" ? [{ name, value: String(value), ...(note !== undefined ? { note } : {}) }] : []

const hawkes = (p: Json, d: Json): ParamRow[] => {
  const alpha = num(p.alpha)
  const beta = num(p.beta)
  const mu = numArray(p.mu)
  const ses = obj(d.standardErrors)
  const halfLife = num(d.halfLifeHours) ?? (beta !== undefined && beta > 0 ? Math.LN2 / beta : undefined)
  return [
    ...row("α (branching ratio)", alpha, se(num(ses?.alpha)) ?? "expected direct offspring per post"),
    ...row("β (decay rate, 1/h)", beta, se(num(ses?.beta))),
    ...row("half-life (minutes)", halfLife === undefined ? undefined : halfLife * 60, "ln 2 / β"),
    ...textRow("baseline", p.baseline),
    ...row("mean baseline μ (posts/h)", mu === undefined || mu.length === 0 ? undefined : mu.reduce((a, b) => a + b, 0) / mu.length, mu ? `${mu.length} levels` : undefined),
    ...row(
      "stationary rate (posts/h)",
      mu !== undefined && mu.length > 0 && alpha !== undefined && alpha < 1 ? mu.reduce((a, b) => a + b, 0) / mu.length / (1 - alpha) : undefined,
      "μ̄ / (1 − α)"
    ),
    ...(p.exogenous === true ? row("γ (exogenous log-multiplier)", num(p.gamma), se(num(ses?.gamma))) : []),
    ...row("log-likelihood", num(d.logLik), num(d.nEvents) !== undefined ? `${num(d.nEvents)} events` : undefined),
    ...row("time-rescaling KS p-value", num(obj(d.timeRescaling)?.ksPValue)),
    ...textRow("converged", d.converged)
  ]
}

/** Top `n` coefficients by |estimate| (intercept excluded: its size says nothing about an effect). */
export const topCoefficients = (d: Json, n = 5): ParamRow[] => {
  const coefficients = obj(d.coefficients)
  if (coefficients === undefined) return []
  return Object.entries(coefficients)
    .flatMap(([name, c]) => {
      const estimate = num(obj(c)?.estimate)
      return estimate === undefined || estimate === 0 || /^(intercept|const)$/i.test(name) ? [] : [{ name, estimate, se: num(obj(c)?.se) }]
    })
    .sort((a, b) => Math.abs(b.estimate) - Math.abs(a.estimate) || (a.name < b.name ? -1 : 1))
    .slice(0, n)
    .flatMap((c) => row(`β ${c.name}`, c.estimate, se(c.se)))
}

const negativeBinomial = (p: Json, d: Json): ParamRow[] => {
  // the design names its intercept column `const` (statsmodels' name)
  const coefficients = obj(d.coefficients)
  const intercept = obj(coefficients?.const) ?? obj(coefficients?.intercept)
  return [
    ...row("α (NB2 dispersion)", num(p.alpha), se(num(d.seAlpha)) ?? "Var = μ + αμ²"),
    ...row("β const (intercept)", num(intercept?.estimate), se(num(intercept?.se))),
    ...topCoefficients(d),
    ...row("log-likelihood", num(d.llf), num(d.nobs) !== undefined ? `${num(d.nobs)} hours` : undefined),
    ...row("AIC", num(d.aic)),
    ...textRow("converged", d.converged)
  ]
}

const sarimax = (p: Json, d: Json): ParamRow[] => {
  const spec = obj(p.spec)
  const order = numArray(spec?.order)
  const seasonal = numArray(spec?.seasonalOrder)
  const names = Array.isArray(p.names) ? (p.names as unknown[]).map(String) : []
  const values = numArray(p.values) ?? []
  // entries are null where the Hessian gave no standard error
  const ses = Array.isArray(d.standardErrors) ? (d.standardErrors as unknown[]).map(num) : undefined
  // ARMA terms, trend and variance; the many Fourier/exogenous regressors are left to `models show`.
  const key = names.flatMap((name, i) => (/^(ar|ma|sigma2|intercept|drift|trend|const)/i.test(name) ? row(name, values[i], se(ses?.[i])) : []))
  // An AR or MA coefficient at |1| is on the stationarity/invertibility boundary: the optimiser stopped
  // at the edge of the parameter space, and "converged" does not make that a good fit.
  const boundary = names.flatMap((name, i) => (/^(ar|ma)\./i.test(name) && Math.abs(values[i] ?? 0) >= BOUNDARY ? [name] : []))
  return [
    ...(order && seasonal ? [{ name: "order", value: `(${order.join(",")})(${seasonal.join(",")})`, note: `transform ${String(spec?.transform ?? "?")}` }] : []),
    ...key,
    ...row("log-likelihood", num(d.loglik), num(d.nobs) !== undefined ? `${num(d.nobs)} hours (transformed scale)` : undefined),
    ...row("AIC", num(d.aic)),
    ...textRow("converged", d.converged),
    ...(boundary.length > 0
      ? [{ name: "warning", value: "on the boundary", note: `${boundary.join(", ")} at |coefficient| >= ${BOUNDARY}: a unit root (AR) or non-invertible MA; treat this fit with caution` }]
      : [])
  ]
}

/** |AR/MA coefficient| from which a SARIMAX fit is reported as on the boundary of the parameter space. */
export const BOUNDARY = 0.99

const seasonalNaive = (p: Json, d: Json): ParamRow[] => [
  ...row("φ (week-level dispersion)", num(p.dispersion), "variance of the week multiplier"),
  ...row("weeks in window", num(d.weeks)),
  ...row("in-sample MAE (posts/h)", num(d.inSampleMae), "hourly weekly-naive rule")
]

const poissonSeasonal = (p: Json, d: Json): ParamRow[] => {
  const rates = numArray(p.rates)
  return [
    ...row("mean rate (posts/h)", num(d.meanRate) ?? (rates ? rates.reduce((a, b) => a + b, 0) / rates.length : undefined), "mean of 168 hour-of-week rates"),
    ...row("peak hour-of-week rate", rates && rates.length > 0 ? Math.max(...rates) : undefined),
    ...row("Pearson dispersion", num(d.pearsonDispersion), "≈ 1 if Poisson"),
    ...row("training hours", num(d.trainHours))
  ]
}

const generic = (p: Json): ParamRow[] =>
  Object.entries(p)
    .flatMap(([k, v]) => row(k, num(v)))
    .slice(0, 10)

/** Key parameters of one fit, by kind. */
export const keyParams = (kind: string, params: Json, diagnostics: Json): ReadonlyArray<ParamRow> => {
  switch (kind) {
    case "hawkes":
      return hawkes(params, diagnostics)
    case "negative_binomial":
      return negativeBinomial(params, diagnostics)
    case "sarimax":
      return sarimax(params, diagnostics)
    case "seasonal_naive":
      return seasonalNaive(params, diagnostics)
    case "poisson_seasonal":
      return poissonSeasonal(params, diagnostics)
    default:
      return generic(params)
  }
}
