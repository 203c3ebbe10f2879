/**
 * The report's chart specs (src/programs/report/specs.ts): their data rows and encodings, and that each
 * compiles and renders without a Vega-Lite/Vega warning into the marks its data calls for (counted in
 * Vega's scenegraph, not in the SVG text).
 */
import * as vega from "vega"
import type { TopLevelSpec } from "vega-lite"
import { describe, expect, it } from "vitest"
import { compileSpec, specToSvg } from "../../src/programs/report/render"
import {
  bracketsSpec,
  coverageSpec,
  dailyCountsSpec,
  fanRows,
  fanTop,
  fanSpec,
  metricRows,
  metricsSpec,
  MODEL_COLORS,
  pitRows,
  pitSpec
} from "../../src/programs/report/specs"

const DAY = 86_400_000
const HOUR = 3_600_000
const T0 = Date.parse("2025-03-03T00:00:00Z")

interface SceneMark {
  readonly marktype: string
  readonly role: string
  readonly name?: string
  readonly items: ReadonlyArray<SceneItem>
}
interface SceneItem {
  readonly items?: ReadonlyArray<SceneMark>
  readonly [k: string]: unknown
}

/** Data marks (role "mark", not axes or legends) of a rendered spec: name, type and item count. */
const dataMarks = async (spec: TopLevelSpec) => {
  const { vega: compiled, warnings } = compileSpec(spec)
  expect(warnings).toEqual([])
  const view = new vega.View(vega.parse(compiled), { renderer: "none" })
  await view.runAsync()
  const out: Array<{ name: string; type: string; items: ReadonlyArray<SceneItem> }> = []
  const walk = (mark: SceneMark) => {
    if (mark.role === "mark" && mark.marktype !== "group") out.push({ name: mark.name ?? "", type: mark.marktype, items: mark.items })
    for (const item of mark.items) for (const child of item.items ?? []) walk(child)
  }
  walk((view.scenegraph() as unknown as { root: SceneMark }).root)
  view.finalize()
  return out
}
const itemsOf = (marks: Awaited<ReturnType<typeof dataMarks>>, type: string) => marks.filter((m) => m.type === type).flatMap((m) => m.items)

describe("daily counts with regime shifts", () => {
  const days = Array.from({ length: 30 }, (_, i) => ({ day: T0 + i * DAY, count: i < 15 ? 100 + (i % 3) : 50 + (i % 4) }))
  const shifts = [
    { at: T0 + 15 * DAY, detector: "bocpd", levelBefore: 101, levelAfter: 51.5 },
    { at: T0 + 14 * DAY, detector: "rolling_variance", levelBefore: 100.9, levelAfter: 52 }
  ]

  it("carries every day and one rule per shift, on a UTC time scale", async () => {
    const spec = dailyCountsSpec(days, shifts) as unknown as { layer: Array<Record<string, any>> }
    expect(spec.layer).toHaveLength(2)
    expect(spec.layer[0]!.data.values.map((v: { day: number; count: number }) => [v.day, v.count])).toEqual(days.map((d) => [d.day, d.count]))
    expect(spec.layer[0]!.layer[0].encoding.x.scale).toEqual({ type: "utc" })
    expect(spec.layer[1]!.mark.type).toBe("rule")
    expect(spec.layer[1]!.data.values.map((v: { at: number }) => v.at)).toEqual(shifts.map((s) => s.at))
    expect(spec.layer[1]!.data.values[0].label).toBe("101→52/day")
    expect(spec.layer[1]!.encoding.color.scale.domain).toEqual(["bocpd", "rolling_variance"])

    const marks = await dataMarks(dailyCountsSpec(days, shifts))
    const rules = itemsOf(marks, "rule")
    expect(rules).toHaveLength(2)
    // the rules sit where the two regime days are on the x axis: 14 and 15 days in, of 29 days of width
    const xs = rules.map((r) => r.x as number).sort((a, b) => a - b)
    expect(xs[1]! - xs[0]!).toBeCloseTo(860 / 29, 0)
    // two line marks (daily, 7-day mean), each one path over all days
    expect(marks.filter((m) => m.type === "line")).toHaveLength(2)
    expect(marks.filter((m) => m.type === "line").every((m) => m.items.length === days.length)).toBe(true)
  })

  it("a last day still in progress is left out of the lines and drawn as a hollow point labelled 'so far'", async () => {
    const withPartial = [...days, { day: T0 + 30 * DAY, count: 7 }]
    const marks = await dataMarks(dailyCountsSpec(withPartial, [], { partialLastDay: true }))
    expect(marks.filter((m) => m.type === "line").every((m) => m.items.length === days.length)).toBe(true)
    const points = itemsOf(marks, "symbol")
    expect(points).toHaveLength(1)
    expect(points[0]!.datum).toMatchObject({ day: T0 + 30 * DAY, count: 7 })
    expect(itemsOf(marks, "text").map((t) => (t.datum as { label: string }).label)).toEqual(["7 so far (day in progress)"])
    // a complete last day is an ordinary day
    const complete = await dataMarks(dailyCountsSpec(withPartial, []))
    expect(complete.filter((m) => m.type === "line").every((m) => m.items.length === withPartial.length)).toBe(true)
  })

  it("the 7-day mean is the trailing mean of the counts", async () => {
    const marks = await dataMarks(dailyCountsSpec(days, []))
    expect(itemsOf(marks, "rule")).toHaveLength(0)
    const mean7 = marks.filter((m) => m.type === "line")[1]!.items.map((i) => (i.datum as { mean7: number }).mean7)
    for (let i = 0; i < days.length; i++) {
      const window = days.slice(Math.max(0, i - 6), i + 1)
      expect(mean7[i]).toBeCloseTo(window.reduce((a, d) => a + d.count, 0) / window.length, 10)
    }
  })
})

describe("forecast fan and brackets", () => {
  const n = 48
  const fan = {
    start: T0,
    mean: Float64Array.from({ length: n }, (_, i) => 3 + Math.sin(i / 4)),
    q10: Float64Array.from({ length: n }, () => 1),
    q50: Float64Array.from({ length: n }, (_, i) => 3 + (i % 2)),
    q90: Float64Array.from({ length: n }, () => 7),
    observed: Array.from({ length: 24 }, (_, i) => ({ hour: T0 - (24 - i) * HOUR, count: i % 5 }))
  }

  it("one row per simulated hour, an hour apart", () => {
    const rows = fanRows(fan)
    expect(rows).toHaveLength(n)
    expect(rows[0]).toEqual({ hour: T0, mean: fan.mean[0], q10: 1, q50: 3, q90: 7 })
    expect(rows[n - 1]!.hour - rows[0]!.hour).toBe((n - 1) * HOUR)
  })

  it("renders the band, median, mean and observed series with a legend of the four", async () => {
    const marks = await dataMarks(fanSpec(fan))
    // band, median, mean, observed (line + points), and the origin (rule + label)
    expect(marks.map((m) => m.type).sort()).toEqual(["area", "line", "line", "line", "rule", "symbol", "text"])
    const area = marks.find((m) => m.type === "area")!
    expect(area.items).toHaveLength(n)
    // the band spans q10 (y, lower edge) .. q90 (y2, upper edge): screen y grows downwards
    expect(area.items.every((i) => (i.y as number) > (i.y2 as number))).toBe(true)
    expect(itemsOf(marks, "symbol")).toHaveLength(fan.observed.length)
    const svg = await specToSvg(fanSpec(fan), "fan")
    for (const label of ["10–90% band", "median", "mean", "observed"]) expect(svg).toContain(`>${label}<`)
  })

  it("without observed hours there is no observed layer", async () => {
    const marks = await dataMarks(fanSpec({ ...fan, observed: [] }))
    expect(marks.map((m) => m.type).sort()).toEqual(["area", "line", "line", "rule", "text"])
  })

  it("the y-scale is the forecast's: an observed spike is drawn at the top, marked and labelled with its count", async () => {
    expect(fanTop(fan)).toBe(9) // ceil(1.25 x the highest hourly q90 of 7)
    const spiky = { ...fan, observed: [...fan.observed.slice(0, -1), { hour: T0 - HOUR, count: 25 }] }
    const spec = fanSpec({ ...spiky, origin: T0 }) as unknown as { layer: Array<Record<string, any>> }
    const observedLayer = spec.layer.find((l) => l.data?.values?.[0]?.actual !== undefined)!
    expect(Math.max(...observedLayer.data.values.map((v: { count: number }) => v.count))).toBe(9)
    const marks = await dataMarks(spec as never)
    const triangles = itemsOf(marks, "symbol").filter((i) => (i.datum as { clipped?: boolean }).clipped === true && (i as { shape?: string }).shape === "triangle-up")
    expect(triangles).toHaveLength(1)
    const labels = itemsOf(marks, "text").map((t) => (t.datum as { label: string }).label)
    expect(labels).toEqual(expect.arrayContaining(["25", "origin"]))
    // the origin rule sits at the origin, left of every simulated hour
    const rule = itemsOf(marks, "rule")[0]!
    const area = marks.find((m) => m.type === "area")!
    expect(rule.x as number).toBeCloseTo(Math.min(...area.items.map((i) => i.x as number)), 6)
  })

  it("brackets: one bar per bracket in the given order, labelled in percent", async () => {
    const brackets = [
      { label: "0-199", probability: 0.05 },
      { label: "200-219", probability: 0.6 },
      { label: "220+", probability: 0.35 }
    ]
    const marks = await dataMarks(bracketsSpec(brackets))
    const bars = itemsOf(marks, "rect")
    expect(bars.map((b) => (b.datum as { label: string }).label)).toEqual(["0-199", "200-219", "220+"])
    // bar heights are proportional to the probabilities
    const heights = bars.map((b) => b.height as number)
    expect(heights[1]! / heights[0]!).toBeCloseTo(12, 6)
    expect(itemsOf(marks, "text").map((t) => t.text)).toEqual(["5.0%", "60.0%", "35.0%"])
  })
})

describe("backtest metrics and calibration", () => {
  const models = [
    { model: "hawkes", metrics: { crps_week: 60, mae_week: 80, mae_h24: 2.5, mae_h168: null } },
    { model: "seasonal_naive", metrics: { crps_week: 70, mae_week: Number.NaN, mae_h24: 3, mae_h168: 2.9 } }
  ]

  it("metric rows: metric-major, missing and non-finite values dropped", () => {
    expect(metricRows(models)).toEqual([
      { metric: "crps_week", model: "hawkes", value: 60 },
      { metric: "crps_week", model: "seasonal_naive", value: 70 },
      { metric: "mae_week", model: "hawkes", value: 80 },
      { metric: "mae_h24", model: "hawkes", value: 2.5 },
      { metric: "mae_h24", model: "seasonal_naive", value: 3 },
      { metric: "mae_h168", model: "seasonal_naive", value: 2.9 }
    ])
  })

  it("metrics chart: one bar per (metric, model) in the model's colour", async () => {
    const marks = await dataMarks(metricsSpec(models))
    const bars = itemsOf(marks, "rect")
    expect(bars).toHaveLength(6)
    for (const b of bars) expect(b.fill).toBe(MODEL_COLORS[(b.datum as { model: string }).model])
  })

  it("a recalibrated variant has its model's colour, a lighter bar and a dashed coverage line", async () => {
    const bars = itemsOf(await dataMarks(metricsSpec([...models, { model: "hawkes+cal", metrics: { crps_week: 58, mae_week: 79, mae_h24: 2.4, mae_h168: null } }])), "rect")
    const cal = bars.filter((b) => (b.datum as { model: string }).model === "hawkes+cal")
    expect(cal.length).toBeGreaterThan(0)
    for (const b of cal) expect([b.fill, b.opacity]).toEqual([MODEL_COLORS.hawkes, 0.5])
    const lines = (await dataMarks(coverageSpec(["hawkes", "hawkes+cal"].flatMap((model) => [0.5, 0.8, 0.95].map((nominal) => ({ model, nominal, empirical: nominal })))))).filter(
      (m) => m.type === "line" && m.items.length === 3
    )
    const dashOf = (model: string) => lines.find((l) => (l.items[0]!.datum as { model: string }).model === model)!.items[0]!.strokeDash
    expect(dashOf("hawkes+cal")).toEqual([5, 3])
    expect(dashOf("hawkes")).toEqual([1, 0])
  })

  it("PIT rows: equal bins of [0, 1], PIT = 1 in the last bin, the uniform expectation n / bins", () => {
    const rows = pitRows([
      { model: "a", pit: 0 },
      { model: "a", pit: 0.05 },
      { model: "a", pit: 0.1 },
      { model: "a", pit: 0.95 },
      { model: "a", pit: 1 },
      { model: "b", pit: 0.5 },
      { model: "b", pit: Number.NaN }
    ])
    const a = rows.filter((r) => r.model === "a")
    expect(a.map((r) => r.count)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 2])
    expect(a.every((r) => r.expected === 0.5)).toBe(true)
    expect(a[3]).toMatchObject({ lo: 0.3, hi: 0.4 })
    const b = rows.filter((r) => r.model === "b")
    expect(b.map((r) => r.count)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
    expect(b[0]!.expected).toBe(0.1)
  })

  it("PIT chart: a panel per model with ten bars and a rule at the expected count", async () => {
    const pits = Array.from({ length: 20 }, (_, i) => ({ model: i % 2 === 0 ? "hawkes" : "sarimax", pit: (i * 0.37) % 1 }))
    const marks = await dataMarks(pitSpec(pits))
    expect(itemsOf(marks, "rect")).toHaveLength(20)
    const rules = itemsOf(marks, "rule")
    expect(rules).toHaveLength(2)
    // bars of one panel are equally wide (binned on [0, 1])
    const widths = itemsOf(marks, "rect").map((r) => Math.round(r.width as number))
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1)
  })

  it("PIT panels share one y-scale and are titled with their origin count", async () => {
    // hawkes: 12 PITs all in one bin; sarimax: 4 spread out. On one scale a bar of 4 is a third of 12's height.
    const pits = [...Array.from({ length: 12 }, () => ({ model: "hawkes", pit: 0.55 })), ...[0.05, 0.35, 0.55, 0.95].map((pit) => ({ model: "sarimax", pit }))]
    const spec = pitSpec(pits) as unknown as { resolve: { scale: { y: string } } }
    expect(spec.resolve.scale.y).toBe("shared")
    const rects = itemsOf(await dataMarks(pitSpec(pits)), "rect") as Array<{ height: number; datum: { model: string; count: number } }>
    const tallest = (model: string) => Math.max(...rects.filter((r) => r.datum.model === model).map((r) => r.height))
    expect(tallest("sarimax") / tallest("hawkes")).toBeCloseTo(1 / 12, 1)
    expect(new Set(pitRows(pits).map((r) => r.panel))).toEqual(new Set(["hawkes (n=12)", "sarimax (n=4)"]))
  })

  it("coverage chart: the diagonal and one point per (model, level)", async () => {
    const points = ["hawkes", "sarimax"].flatMap((model, j) =>
      [0.5, 0.8, 0.95].map((nominal) => ({ model, nominal, empirical: Math.min(1, nominal + 0.1 * j) }))
    )
    const spec = coverageSpec(points) as unknown as { layer: Array<Record<string, any>> }
    expect(spec.layer[0]!.data.values).toEqual([{ x: 0.4, y: 0.4 }, { x: 1, y: 1 }])
    const marks = await dataMarks(coverageSpec(points))
    // the diagonal, then one line per model (a line mark per series); points as symbols
    expect(marks.filter((m) => m.type === "line").map((m) => m.items.length)).toEqual([2, 3, 3])
    expect(itemsOf(marks, "symbol")).toHaveLength(6)
    // each model's points sit a little to one side of their level, so equal coverages do not hide each other
    const symbols = itemsOf(marks, "symbol") as Array<{ x: number; y: number; datum: { model: string; nominal: number; shown: number } }>
    for (const nominal of [0.5, 0.8, 0.95]) {
      const at = symbols.filter((s) => s.datum.nominal === nominal)
      expect(new Set(at.map((s) => s.x)).size).toBe(2)
      for (const s of at) expect(Math.abs(s.datum.shown - nominal)).toBeLessThan(0.02)
    }
  })
})

describe("rendering", () => {
  it("SVG ids are prefixed per chart, so several charts can share one page", async () => {
    const days = Array.from({ length: 10 }, (_, i) => ({ day: T0 + i * DAY, count: i }))
    const a = await specToSvg(dailyCountsSpec(days, []), "chart-a")
    const b = await specToSvg(dailyCountsSpec(days, []), "chart-b")
    const ids = (svg: string) => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!)
    expect(ids(a).every((id) => id.startsWith("chart-a-"))).toBe(true)
    expect(ids(b).every((id) => id.startsWith("chart-b-"))).toBe(true)
    for (const m of a.matchAll(/url\(#([^)]+)\)/g)) expect(ids(a)).toContain(m[1])
  })

  it("a spec with a mistake fails instead of drawing something else", async () => {
    const bad = { data: { values: [{ x: 1 }] }, mark: "bar", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "x", type: "nonsense" } } }
    await expect(specToSvg(bad as unknown as TopLevelSpec, "bad")).rejects.toThrow()
    const external = { data: { url: "https://example.invalid/data.json" }, mark: "bar", encoding: { x: { field: "x", type: "quantitative" } } }
    await expect(specToSvg(external as unknown as TopLevelSpec, "external")).rejects.toThrow(/loads no external data/)
  })
})
