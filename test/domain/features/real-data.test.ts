/**
 * Features on the shared real data, checked against (1) an independent computation written here with
 * plain loops, Date and a Map of hour buckets, and (2) the statsmodels reference design matrices.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Either } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { featuresAsOf, makeKnowledge } from "../../../src/domain/features/asof"
import { featureColumn, type FeatureMatrix } from "../../../src/domain/features/matrix"
import { defaultFeatureSpec, makeFeatureSpec } from "../../../src/domain/features/spec"
import { SHARED_REFERENCE, sharedRows } from "../../support/shared-data"

const REF = SHARED_REFERENCE
const H = 3_600_000

let times: number[] = []
let perHour = new Map<number, number>()
let firstHour = 0
let lastHour = 0
let m: FeatureMatrix
let from = 0

const spec = Either.getOrThrow(
  makeFeatureSpec([
    ...defaultFeatureSpec().columns,
    "roll_sum_24",
    "log1p_roll_sum_24",
    "log1p_roll_mean_168",
    "fourier_week_sin_2",
    "fourier_week_cos_2",
    "fourier_week_sin_1",
    "fourier_week_cos_1"
  ].filter((c, i, a) => a.indexOf(c) === i))
)

beforeAll(() => {
  times = sharedRows().map((r) => r.createdAt)
  perHour = new Map()
  for (const t of times) {
    const h = Math.floor(t / H)
    perHour.set(h, (perHour.get(h) ?? 0) + 1)
  }
  firstHour = Math.min(...perHour.keys())
  lastHour = Math.max(...perHour.keys())
  // Every hour of the record, as known after its end.
  from = firstHour * H
  m = featuresAsOf(makeKnowledge({ tweetTimes: times }), (lastHour + 1) * H, spec, from, (lastHour + 1) * H)
})

const count = (hour: number): number => (hour < firstHour || hour > lastHour ? Number.NaN : (perHour.get(hour) ?? 0))

describe("features on the real data", () => {
  it("covers about 27k hours", () => {
    expect(m.rows).toBe(lastHour - firstHour + 1)
    expect(m.rows).toBeGreaterThan(26_000)
  })

  it("match an independent computation on a sample of hours", () => {
    let seed = 12345
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
    const rows = Array.from({ length: 400 }, () => next() % m.rows)
    rows.push(0, 1, 23, 24, 167, 168, 169, m.rows - 1)
    for (const r of rows) {
      const hour = firstHour + r
      const d = new Date(hour * H)
      const want: Record<string, number> = {}
      for (const l of [1, 2, 3, 24, 168]) want[`lag_${l}`] = count(hour - l)
      for (const w of [24, 168]) {
        if (hour - w < firstHour) {
          want[`roll_mean_${w}`] = Number.NaN
          want[`roll_var_${w}`] = Number.NaN
          continue
        }
        const xs = Array.from({ length: w }, (_, i) => count(hour - w + i))
        const mean = xs.reduce((a, b) => a + b, 0) / w
        want[`roll_mean_${w}`] = mean
        want[`roll_var_${w}`] = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (w - 1)
        if (w === 24) {
          want.roll_sum_24 = mean * 24
          want.log1p_roll_sum_24 = Math.log(1 + mean * 24)
        } else want.log1p_roll_mean_168 = Math.log(1 + mean)
      }
      const hod = d.getUTCHours()
      const dow = (d.getUTCDay() + 6) % 7
      for (let k = 1; k < 24; k++) want[`hour_${k}`] = hod === k ? 1 : 0
      for (let k = 1; k < 7; k++) want[`dow_${k}`] = dow === k ? 1 : 0
      for (let k = 1; k <= 3; k++) {
        want[`fourier_day_sin_${k}`] = Math.sin((2 * Math.PI * k * hod) / 24)
        want[`fourier_week_cos_${k}`] = Math.cos((2 * Math.PI * k * (dow * 24 + hod)) / 168)
      }
      want.exo_intensity = 0
      for (const [name, v] of Object.entries(want)) {
        const got = featureColumn(m, name)[r]!
        if (Number.isNaN(v)) expect(got, `${name} at row ${r}`).toBeNaN()
        else expect(Math.abs(got - v), `${name} at row ${r}: ${got} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)))
      }
    }
  })

  it("reproduce the statsmodels NB2 design matrix (calendar dummies and the two log1p history columns)", () => {
    const ref = JSON.parse(readFileSync(resolve(REF, "nb2-glm.json"), "utf8")).data as {
      timestamps_utc: string[]
      y: number[]
      columns: string[]
      X: number[][]
    }
    const r0 = (Date.parse(ref.timestamps_utc[0]!) - from) / H
    const map: Record<string, string> = { log1p_sum_prev24: "log1p_roll_sum_24", log1p_mean_prev168: "log1p_roll_mean_168" }
    let checked = 0
    ref.columns.forEach((refName, j) => {
      if (refName === "const") return
      const col = featureColumn(m, map[refName] ?? refName)
      ref.X.forEach((row, i) => expect(Math.abs(col[r0 + i]! - row[j]!), `${refName} row ${i}`).toBeLessThan(1e-12))
      checked++
    })
    expect(checked).toBe(31)
    ref.y.forEach((y, i) => expect(featureColumn(m, "lag_1")[r0 + i + 1]).toBe(y))
  })

  it("reproduce the SARIMAX weekly Fourier regressors (a Monday-start window, so t mod 168 is the hour of week)", () => {
    const ref = JSON.parse(readFileSync(resolve(REF, "sarimax.json"), "utf8")).data as { timestamps_start_utc: string; exog: number[][] }
    const r0 = (Date.parse(ref.timestamps_start_utc) - from) / H
    const names = ["fourier_week_sin_1", "fourier_week_cos_1", "fourier_week_sin_2", "fourier_week_cos_2"]
    names.forEach((name, j) => {
      const col = featureColumn(m, name)
      ref.exog.forEach((row, i) => expect(Math.abs(col[r0 + i]! - row[j]!), `${name} row ${i}`).toBeLessThan(1e-12))
    })
  })
})
