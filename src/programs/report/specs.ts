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
  poisson_seasonal: "#b279a2"
}

const modelScale = (models: ReadonlyArray<string>) => {
  const domain = [...MODEL_KINDS.filter((k) => models.includes(k)), ...models.filter((m) => !(MODEL_KINDS as ReadonlyArray<string>).includes(m))]
  return { domain, range: domain.map((m) => MODEL_COLORS[m] ?? "#888888") }
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

/** Daily tweet counts (line) with their 7-day trailing mean, and a rule at each detected regime start. */
export const dailyCountsSpec = (days: ReadonlyArray<DailyPoint>, shifts: ReadonlyArray<ShiftMark>): TopLevelSpec => {
  const detectors = [...new Set(shifts.map((s) => s.detector))].sort()
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

/** Hourly predictive mean, median and 10–90% band, with observed hourly counts (black) for context. */
export const fanSpec = (f: FanInput): TopLevelSpec => {
  const rows = fanRows(f)
  const series = { domain: ["10–90% band", "median", "mean", "observed"], range: ["#9ecae9", "#1f77b4", "#ff7f0e", "#222222"] }
  const x = { field: "hour", type: "temporal", scale: { type: "utc" }, axis: { format: "%a %b %d %H:00", labelAngle: 0 }, title: "hour (UTC)" }
  const layers: unknown[] = [
    {
      data: { values: rows },
      layer: [
        {
          mark: { type: "area", opacity: 0.45, interpolate: "step-after" },
          encoding: {
            x,
            y: { field: "q10", type: "quantitative", title: "tweets per hour" },
            y2: { field: "q90" },
            color: { datum: "10–90% band", scale: series, title: null }
          }
        },
        {
          mark: { type: "line", strokeWidth: 1.5, interpolate: "step-after" },
          encoding: { x: { field: "hour", type: "temporal" }, y: { field: "q50", type: "quantitative" }, color: { datum: "median" } }
        },
        {
          mark: { type: "line", strokeWidth: 1.8 },
          encoding: { x: { field: "hour", type: "temporal" }, y: { field: "mean", type: "quantitative" }, color: { datum: "mean" } }
        }
      ]
    }
  ]
  if (f.observed.length > 0)
    layers.push({
      data: { values: f.observed.map((o) => ({ hour: o.hour, count: o.count })) },
      mark: { type: "line", strokeWidth: 1, interpolate: "step-after", point: { size: 8 } },
      encoding: { x: { field: "hour", type: "temporal" }, y: { field: "count", type: "quantitative" }, color: { datum: "observed" } }
    })
  return { $schema: SCHEMA, width: WIDTH, height: 260, config: BASE_CONFIG, layer: layers } as TopLevelSpec
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
  const rows = metricRows(models, metrics)
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
            color: { field: "model", type: "nominal", scale: colors, legend: null }
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
    return counts.map((count, i) => ({ model, lo: i / bins, hi: (i + 1) / bins, count, expected: n / bins }))
  })
}

/** PIT histogram per model (a flat histogram is calibrated), with the uniform expectation as a rule. */
export const pitSpec = (samples: ReadonlyArray<PitSample>, bins = PIT_BINS): TopLevelSpec => {
  const rows = pitRows(samples, bins)
  const colors = modelScale([...new Set(rows.map((r) => r.model))])
  return {
    $schema: SCHEMA,
    config: BASE_CONFIG,
    data: { values: rows },
    facet: { column: { field: "model", type: "nominal", sort: colors.domain, title: null, header: { labelFontSize: 12, labelFontWeight: "bold" } } },
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
    resolve: { scale: { y: "independent" } }
  } as TopLevelSpec
}

export interface CoveragePoint {
  readonly model: string
  /** Nominal level of the central interval (0.5, 0.8, 0.95). */
  readonly nominal: number
  /** Share of origins whose actual week total fell inside it. */
  readonly empirical: number
}

/** Empirical vs nominal coverage of the central week-total intervals; the diagonal is perfect calibration. */
export const coverageSpec = (points: ReadonlyArray<CoveragePoint>): TopLevelSpec => {
  const colors = modelScale([...new Set(points.map((p) => p.model))])
  const axis = { format: ".0%" }
  return {
    $schema: SCHEMA,
    width: 320,
    height: 260,
    config: BASE_CONFIG,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: "line", color: "#999999", strokeDash: [4, 3] },
        encoding: {
          x: { field: "x", type: "quantitative", scale: { domain: [0, 1] }, axis, title: "nominal coverage" },
          y: { field: "y", type: "quantitative", scale: { domain: [0, 1] }, axis, title: "empirical coverage" }
        }
      },
      {
        data: { values: points.map((p) => ({ model: p.model, nominal: p.nominal, empirical: p.empirical })) },
        mark: { type: "line", point: { size: 50, filled: true }, strokeWidth: 1.5 },
        encoding: {
          x: { field: "nominal", type: "quantitative" },
          y: { field: "empirical", type: "quantitative" },
          color: { field: "model", type: "nominal", scale: colors, title: "model" }
        }
      }
    ]
  } as TopLevelSpec
}
