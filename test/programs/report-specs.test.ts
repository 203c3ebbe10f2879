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
    expect(marks.map((m) => m.type).sort()).toEqual(["area", "line", "line", "line", "symbol"])
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
    expect(marks.map((m) => m.type).sort()).toEqual(["area", "line", "line"])
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

  it("coverage chart: the diagonal and one point per (model, level)", async () => {
    const points = ["hawkes", "sarimax"].flatMap((model, j) =>
      [0.5, 0.8, 0.95].map((nominal) => ({ model, nominal, empirical: Math.min(1, nominal + 0.1 * j) }))
    )
    const spec = coverageSpec(points) as unknown as { layer: Array<Record<string, any>> }
    expect(spec.layer[0]!.data.values).toEqual([{ x: 0, y: 0 }, { x: 1, y: 1 }])
    const marks = await dataMarks(coverageSpec(points))
    // the diagonal, then one line per model (a line mark per series); points as symbols
    expect(marks.filter((m) => m.type === "line").map((m) => m.items.length)).toEqual([2, 3, 3])
    expect(itemsOf(marks, "symbol")).toHaveLength(6)
    // a point on the diagonal (hawkes: empirical = nominal) lies on the diagonal's line in pixels
    const diagonal = marks.find((m) => m.type === "line" && m.items.length === 2)!.items
    const [p0, p1] = diagonal as Array<{ x: number; y: number }>
    const hawkes = itemsOf(marks, "symbol").filter((s) => (s.datum as { model: string }).model === "hawkes") as Array<{ x: number; y: number }>
    for (const s of hawkes) expect(p0!.y + ((s.x - p0!.x) / (p1!.x - p0!.x)) * (p1!.y - p0!.y)).toBeCloseTo(s.y, 6)
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
