/**
 * Vega-Lite specs of the report's charts, as pure functions of plain data (no I/O, no rendering), so
 * each chart can be unit-tested on its data rows and encodings. render.ts turns a spec into SVG.
 *
 * Instants are epoch ms and every time axis is on a UTC scale (the project counts in UTC hours/days,
 * so a chart in the viewer's local time would misplace every bucket).
 */
import type { TopLevelSpec } from "vega-lite"
import { MODEL_KINDS } from "../../domain/models/model"

/** One colour per model kind everywhere in the report (legend order = MODEL_KINDS). */
export const MODEL_COLORS: Readonly<Record<string, string>> = {
  negative_binomial: "#4c78a8",
  hawkes: "#e45756",
  sarimax: "#54a24b",
  seasonal_naive: "#9d755d",
  poisson_seasonal: "#b279a2",
  ewma_level: "#f58518",
  nb_local_level: "#72b7b2",
  ensemble: "#222222"
}

/** A derived forecaster (`<model>+cal`) takes its model's colour (drawn dashed where lines are drawn). */
const colourOf = (model: string): string => MODEL_COLORS[model] ?? MODEL_COLORS[model.replace(/\+cal$/, "")] ?? "#888888"

/** `<model>+cal` forecasters share their model's colour and are told apart by a lighter fill / a dashed line. */
const VARIANTS = { domain: ["as fitted", "recalibrated"] }
const variantOf = (model: string): string => (model.endsWith("+cal") ? "recalibrated" : "as fitted")

const modelScale = (models: ReadonlyArray<string>) => {
  const domain = [...MODEL_KINDS.filter((k) => models.includes(k)), ...models.filter((m) => !(MODEL_KINDS as ReadonlyArray<string>).includes(m))]
  return { domain, range: domain.map(colourOf) }
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
const WIDTH = 860
const BASE_CONFIG = {
  font: "sans-serif",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e8e8e8" },
  // symbolOpacity 1: a legend entry keeps its colour even when its layer is translucent (the fan's band)
  legend: { labelFontSize: 11, titleFontSize: 11, orient: "top" as const, symbolOpacity: 1 }
}

// With a UTC scale, Vega-Lite formats the axis labels in UTC too.
const utcAxis = { format: "%Y-%m-%d", labelAngle: 0 }

// ---------------------------------------------------------------------------------------------------
// (a) daily counts with regime shifts

export interface DailyPoint {
  /** 00:00 UTC of the day, epoch ms. */
  readonly day: number
  readonly count: number
}

export interface ShiftMark {
  /** First day of the new regime (00:00 UTC), epoch ms. */
  readonly at: number
  readonly detector: string
  readonly levelBefore: number
  readonly levelAfter: number
}

export const DETECTOR_COLORS: Readonly<Record<string, string>> = { bocpd: "#d62728", rolling_variance: "#ff7f0e" }

/**
 * Daily tweet counts (line) with their 7-day trailing mean, and a rule at each detected regime start.
 * A last day still in progress (`partialLastDay`) is left out of the lines (it would read as a collapse)
 * and drawn as a hollow point labelled "so far".
 */
export const dailyCountsSpec = (allDays: ReadonlyArray<DailyPoint>, shifts: ReadonlyArray<ShiftMark>, options: { readonly partialLastDay?: boolean } = {}): TopLevelSpec => {
  const detectors = [...new Set(shifts.map((s) => s.detector))].sort()
  const partial = options.partialLastDay === true && allDays.length > 0 ? allDays[allDays.length - 1]! : undefined
  const days = partial === undefined ? allDays : allDays.slice(0, -1)
  const layers: unknown[] = [
    {
      data: { values: days.map((d) => ({ day: d.day, count: d.count, series: "posts per day" })) },
      transform: [{ window: [{ op: "mean", field: "count", as: "mean7" }], frame: [-6, 0], sort: [{ field: "day" }] }],
      layer: [
        {
          mark: { type: "line", strokeWidth: 0.8, color: "#9ecae9" },
          encoding: {
            x: { field: "day", type: "temporal", scale: { type: "utc" }, axis: utcAxis, title: "day (UTC)" },
            y: { field: "count", type: "quantitative", title: "tweets per day" }
          }
        },
        {
          mark: { type: "line", strokeWidth: 1.8, color: "#1f77b4" },
          encoding: { x: { field: "day", type: "temporal" }, y: { field: "mean7", type: "quantitative" } }
        }
      ]
    }
  ]
  if (partial !== undefined)
    layers.push({
      data: { values: [{ day: partial.day, count: partial.count, label: `${partial.count} so far (day in progress)` }] },
      layer: [
        { mark: { type: "point", shape: "circle", filled: false, size: 60, color: "#1f77b4" }, encoding: { x: { field: "day", type: "temporal" }, y: { field: "count", type: "quantitative" } } },
        {
          mark: { type: "text", align: "right", dx: -6, dy: -8, fontSize: 10, color: "#555555" },
          encoding: { x: { field: "day", type: "temporal" }, y: { field: "count", type: "quantitative" }, text: { field: "label" } }
        }
      ]
    })
  if (shifts.length > 0)
    layers.push({
      data: {
        values: shifts.map((s) => ({
          at: s.at,
          detector: s.detector,
          label: `${Math.round(s.levelBefore)}→${Math.round(s.levelAfter)}/day`
        }))
      },
      mark: { type: "rule", strokeWidth: 1.5, strokeDash: [4, 3] },
      encoding: {
        x: { field: "at", type: "temporal" },
        color: {
          field: "detector",
          type: "nominal",
          title: "regime shift (detector)",
          legend: { titleLimit: 300 },
          scale: { domain: detectors, range: detectors.map((d) => DETECTOR_COLORS[d] ?? "#555555") }
        }
      }
    })
  return {
    $schema: SCHEMA,
    width: WIDTH,
    height: 260,
    config: BASE_CONFIG,
    layer: layers
  } as TopLevelSpec
}

// ---------------------------------------------------------------------------------------------------
// (b) forecast fan chart and bracket probabilities

export interface FanInput {
  /** First simulated hour (epoch ms, on a UTC hour). */
  readonly start: number
  readonly mean: ArrayLike<number>
  readonly q10: ArrayLike<number>
  readonly q50: ArrayLike<number>
  readonly q90: ArrayLike<number>
  /** Observed hourly counts for context (before the first simulated hour, or actuals since scored). */
  readonly observed: ReadonlyArray<{ readonly hour: number; readonly count: number }>
}

const HOUR = 3_600_000

/** Rows of the fan: one per simulated hour. */
export const fanRows = (f: FanInput) =>
  Array.from({ length: f.mean.length }, (_, i) => ({
    hour: f.start + i * HOUR,
    mean: f.mean[i]!,
    q10: f.q10[i]!,
    q50: f.q50[i]!,
    q90: f.q90[i]!
  }))

/** The fan's y-axis top: set by the forecast (its highest hourly 90% quantile, with room), not by observed spikes. */
export const fanTop = (f: FanInput): number => {
  let top = 1
  for (let i = 0; i < f.q90.length; i++) top = Math.max(top, f.q90[i]!)
  return Math.ceil(top * 1.25)
}

/**
 * Hourly predictive mean, median and 10–90% band (an area between the quantiles), observed hourly counts
 * (black) for context, and a rule at the origin (where the observed record ends and the forecast
 * begins). The y-scale is the forecast's: an observed hour above it is drawn at the top edge as a
 * triangle labelled with its count.
 */
export const fanSpec = (f: FanInput & { readonly origin?: number }): TopLevelSpec => {
  const rows = fanRows(f)
  const top = fanTop(f)
  const series = { domain: ["10–90% band", "median", "mean", "observed"], range: ["#9ecae9", "#1f77b4", "#ff7f0e", "#222222"] }
  const x = { field: "hour", type: "temporal", scale: { type: "utc" }, axis: { format: "%a %b %d %H:00", labelAngle: 0 }, title: "hour (UTC)" }
  const y = (field: string) => ({ field, type: "quantitative", scale: { domain: [0, top], clamp: true }, title: "tweets per hour" })
  const layers: unknown[] = [
    {
      data: { values: rows },
      layer: [
        {
          mark: { type: "area", opacity: 0.45, interpolate: "step-after" },
          encoding: { x, y: y("q10"), y2: { field: "q90" }, color: { datum: "10–90% band", scale: series, title: null } }
        },
        {
          mark: { type: "line", strokeWidth: 1.5, interpolate: "step-after" },
          encoding: { x: { field: "hour", type: "temporal" }, y: y("q50"), color: { datum: "median" } }
        },
        {
          mark: { type: "line", strokeWidth: 1.8 },
          encoding: { x: { field: "hour", type: "temporal" }, y: y("mean"), color: { datum: "mean" } }
        }
      ]
    }
  ]
  if (f.observed.length > 0) {
    const observed = f.observed.map((o) => ({ hour: o.hour, count: Math.min(o.count, top), actual: o.count, clipped: o.count > top }))
    layers.push({
      data: { values: observed },
      mark: { type: "line", strokeWidth: 1, interpolate: "step-after", point: { size: 8 } },
      encoding: { x: { field: "hour", type: "temporal" }, y: y("count"), color: { datum: "observed" } }
    })
    const clipped = observed.filter((o) => o.clipped)
    if (clipped.length > 0)
      layers.push({
        data: { values: clipped.map((o) => ({ ...o, label: `${o.actual}` })) },
        layer: [
          { mark: { type: "point", shape: "triangle-up", filled: true, size: 50, color: "#222222" }, encoding: { x: { field: "hour", type: "temporal" }, y: y("count") } },
          {
            mark: { type: "text", dy: 10, fontSize: 9, color: "#222222" },
            encoding: { x: { field: "hour", type: "temporal" }, y: y("count"), text: { field: "label" } }
          }
        ]
      })
  }
  const origin = f.origin ?? f.start
  layers.push({
    data: { values: [{ hour: origin, label: "origin" }] },
    layer: [
      { mark: { type: "rule", color: "#555555", strokeDash: [2, 2] }, encoding: { x: { field: "hour", type: "temporal" } } },
      { mark: { type: "text", align: "left", baseline: "top", dx: 3, y: 2, fontSize: 10, color: "#555555" }, encoding: { x: { field: "hour", type: "temporal" }, text: { field: "label" } } }
    ]
  })
  // Lines in the legend are drawn as lines, the band as a thick band of its colour.
  const config = { ...BASE_CONFIG, legend: { ...BASE_CONFIG.legend, symbolType: "stroke", symbolStrokeWidth: 4, symbolSize: 300 } }
  return { $schema: SCHEMA, width: WIDTH, height: 260, config, layer: layers } as TopLevelSpec
}

export interface BracketProbability {
  readonly label: string
  readonly probability: number
}

/** Probability of each count bracket of the window total, bars in bracket order, labelled in %. */
export const bracketsSpec = (brackets: ReadonlyArray<BracketProbability>): TopLevelSpec => {
  const x = { field: "label", type: "ordinal", sort: null, title: "window total (bracket)", axis: { labelAngle: -40 } }
  return {
    $schema: SCHEMA,
    width: Math.min(WIDTH, Math.max(240, brackets.length * 44)),
    height: 200,
    config: BASE_CONFIG,
    data: { values: brackets.map((b, order) => ({ label: b.label, probability: b.probability, order })) },
    layer: [
      {
        mark: { type: "bar", color: "#4c78a8" },
        encoding: { x, y: { field: "probability", type: "quantitative", axis: { format: ".0%" }, title: "probability" } }
      },
      {
        mark: { type: "text", dy: -6, fontSize: 10 },
        encoding: { x, y: { field: "probability", type: "quantitative" }, text: { field: "probability", type: "quantitative", format: ".1%" } }
      }
    ]
  } as TopLevelSpec
}

// ---------------------------------------------------------------------------------------------------
// (c) backtest metrics and calibration

export interface ModelMetrics {
  readonly model: string
  readonly metrics: Readonly<Record<string, number | null>>
}

/** The metrics shown per model, in this order (PROTOCOL.md's names). */
export const METRIC_ORDER = ["crps_week", "mae_week", "mae_h24", "mae_h168"] as const

export const metricRows = (models: ReadonlyArray<ModelMetrics>, metrics: ReadonlyArray<string> = METRIC_ORDER) =>
  metrics.flatMap((metric) =>
    models.flatMap((m) => {
      const value = m.metrics[metric]
      return value === null || value === undefined || !Number.isFinite(value) ? [] : [{ metric, model: m.model, value }]
    })
  )

/** One small bar chart per metric (own x scale), a bar per model; lower is better for all of them. */
export const metricsSpec = (models: ReadonlyArray<ModelMetrics>, metrics: ReadonlyArray<string> = METRIC_ORDER): TopLevelSpec => {
  const rows = metricRows(models, metrics).map((r) => ({ ...r, variant: variantOf(r.model) }))
  const colors = modelScale(models.map((m) => m.model))
  return {
    $schema: SCHEMA,
    config: BASE_CONFIG,
    data: { values: rows },
    facet: { column: { field: "metric", type: "nominal", sort: [...metrics], title: null, header: { labelFontSize: 12, labelFontWeight: "bold" } } },
    spec: {
      width: 180,
      height: { step: 22 },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            y: { field: "model", type: "nominal", sort: colors.domain, title: null },
            x: { field: "value", type: "quantitative", title: "lower is better" },
            color: { field: "model", type: "nominal", scale: colors, legend: null },
            opacity: { condition: { test: "datum.variant === 'recalibrated'", value: 0.5 }, value: 1 }
          }
        },
        {
          mark: { type: "text", align: "left", dx: 3, fontSize: 10 },
          encoding: {
            y: { field: "model", type: "nominal", sort: colors.domain },
            x: { field: "value", type: "quantitative" },
            text: { field: "value", type: "quantitative", format: ".3~r" }
          }
        }
      ]
    },
    resolve: { scale: { x: "independent" } }
  } as TopLevelSpec
}

export interface PitSample {
  readonly model: string
  /** Probability integral transform of the actual week total under the predictive distribution, in [0, 1]. */
  readonly pit: number
}

export const PIT_BINS = 10

/**
 * PIT histogram rows: per model, the count of PIT values in each of PIT_BINS equal bins of [0, 1]
 * (the last bin closed: PIT = 1 falls in it), and the count a calibrated model expects (n / bins).
 */
export const pitRows = (samples: ReadonlyArray<PitSample>, bins = PIT_BINS) => {
  const byModel = new Map<string, number[]>()
  for (const s of samples) {
    if (!Number.isFinite(s.pit)) continue
    const counts = byModel.get(s.model) ?? new Array<number>(bins).fill(0)
    const i = Math.min(bins - 1, Math.max(0, Math.floor(s.pit * bins)))
    counts[i]!++
    byModel.set(s.model, counts)
  }
  return [...byModel.entries()].flatMap(([model, counts]) => {
    const n = counts.reduce((a, b) => a + b, 0)
    return counts.map((count, i) => ({ model, panel: `${model} (n=${n})`, n, lo: i / bins, hi: (i + 1) / bins, count, expected: n / bins }))
  })
}

/** Origins below which a PIT histogram says little (each bin then holds about one origin or none). */
export const PIT_FEW_ORIGINS = 20

/**
 * PIT histogram per model (a flat histogram is calibrated), with the uniform expectation as a rule; one
 * y-scale for every panel, so models compare at a glance, and each panel titled with its origin count.
 */
export const pitSpec = (samples: ReadonlyArray<PitSample>, bins = PIT_BINS): TopLevelSpec => {
  const rows = pitRows(samples, bins)
  const colors = modelScale([...new Set(rows.map((r) => r.model))])
  const panels = colors.domain.map((m) => rows.find((r) => r.model === m)!.panel)
  return {
    $schema: SCHEMA,
    config: BASE_CONFIG,
    data: { values: rows },
    facet: { column: { field: "panel", type: "nominal", sort: panels, title: null, header: { labelFontSize: 12, labelFontWeight: "bold" } } },
    spec: {
      width: 150,
      height: 130,
      layer: [
        {
          mark: { type: "bar", binSpacing: 1 },
          encoding: {
            x: { field: "lo", type: "quantitative", bin: { binned: true, step: 1 / bins }, scale: { domain: [0, 1] }, title: "PIT of the week total" },
            x2: { field: "hi" },
            y: { field: "count", type: "quantitative", title: "origins", axis: { tickMinStep: 1 } },
            color: { field: "model", type: "nominal", scale: colors, legend: null }
          }
        },
        {
          mark: { type: "rule", strokeDash: [4, 3], color: "#333333" },
          encoding: { y: { field: "expected", type: "quantitative", aggregate: "max" } }
        }
      ]
    },
    resolve: { scale: { y: "shared" } }
  } as TopLevelSpec
}

export interface CoveragePoint {
  readonly model: string
  /** Nominal level of the central interval (0.5, 0.8, 0.95). */
  readonly nominal: number
  /** Share of origins whose actual week total fell inside it. */
  readonly empirical: number
}

/**
 * Empirical vs nominal coverage of the central week-total intervals; the diagonal is perfect calibration.
 * The x-axis spans the nominal levels shown (40–100%); each model's points sit a little to the side of
 * their level (a fixed offset per model), so models with equal coverage do not hide one another.
 */
export const coverageSpec = (points: ReadonlyArray<CoveragePoint>): TopLevelSpec => {
  const colors = modelScale([...new Set(points.map((p) => p.model))])
  const axis = { format: ".0%" }
  const spread = 0.012
  const offset = (model: string): number => {
    const i = colors.domain.indexOf(model)
    return (i - (colors.domain.length - 1) / 2) * spread
  }
  const domain = [0.4, 1]
  return {
    $schema: SCHEMA,
    width: 420,
    height: 300,
    config: BASE_CONFIG,
    layer: [
      {
        data: { values: [{ x: domain[0], y: domain[0] }, { x: 1, y: 1 }] },
        mark: { type: "line", color: "#999999", strokeDash: [4, 3] },
        encoding: {
          x: { field: "x", type: "quantitative", scale: { domain }, axis: { ...axis, values: [0.5, 0.8, 0.95] }, title: "nominal coverage" },
          y: { field: "y", type: "quantitative", scale: { domain: [0, 1] }, axis, title: "empirical coverage" }
        }
      },
      {
        data: {
          values: points.map((p) => ({ model: p.model, variant: variantOf(p.model), nominal: p.nominal, shown: p.nominal + offset(p.model), empirical: p.empirical }))
        },
        mark: { type: "line", point: { size: 50, filled: true }, strokeWidth: 1.2, opacity: 0.85 },
        encoding: {
          x: { field: "shown", type: "quantitative" },
          y: { field: "empirical", type: "quantitative" },
          color: { field: "model", type: "nominal", scale: colors, title: "model" },
          strokeDash: { field: "variant", type: "nominal", scale: { ...VARIANTS, range: [[1, 0], [5, 3]] }, title: null, legend: { symbolType: "stroke", symbolStrokeColor: "#555555" } },
          tooltip: [{ field: "model" }, { field: "nominal", format: ".0%" }, { field: "empirical", format: ".0%" }]
        }
      }
    ]
  } as TopLevelSpec
}
