import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { buildFeatureMatrix, featureColumn, featureRow } from "../../../src/domain/features/matrix"
import { makeFeatureSpec, type FeatureSpec } from "../../../src/domain/features/spec"

const H = 3_600_000
const MONDAY = Date.parse("2025-01-06T00:00:00Z")
const at = (hh: number, mm = 0, ss = 0) => MONDAY + hh * H + mm * 60_000 + ss * 1000
const spec = (...columns: string[]): FeatureSpec => Either.getOrThrow(makeFeatureSpec(columns))

describe("history features on a hand-computed fixture", () => {
  // Hours 0..9 of Monday 2025-01-06; rows are hours 1..12, i.e. beyond the series end (hour 10 is the cutoff).
  const counts = Float64Array.from([1, 0, 3, 2, 5, 0, 0, 4, 1, 2])
  const m = buildFeatureMatrix(spec("lag_1", "lag_2", "roll_sum_3", "roll_mean_3", "roll_var_3", "log1p_lag_1"), {
    hourly: { start: MONDAY, counts },
    from: at(1),
    hours: 12
  })
  const N = Number.NaN
  // Sample variance of three values: (Σx² − (Σx)²/3) / 2, worked by hand per window.
  const expected: Record<string, number[]> = {
    //           h1  h2   h3    h4    h5     h6     h7     h8     h9     h10   h11 h12
    lag_1: [1, 0, 3, 2, 5, 0, 0, 4, 1, 2, N, N],
    lag_2: [N, 1, 0, 3, 2, 5, 0, 0, 4, 1, 2, N],
    roll_sum_3: [N, N, 4, 5, 10, 7, 5, 4, 5, 7, N, N],
    roll_mean_3: [N, N, 4 / 3, 5 / 3, 10 / 3, 7 / 3, 5 / 3, 4 / 3, 5 / 3, 7 / 3, N, N],
    roll_var_3: [N, N, 7 / 3, 7 / 3, 7 / 3, 19 / 3, 25 / 3, 16 / 3, 13 / 3, 7 / 3, N, N],
    log1p_lag_1: [Math.log(2), 0, Math.log(4), Math.log(3), Math.log(6), 0, 0, Math.log(5), Math.log(2), Math.log(3), N, N]
  }
  for (const [name, values] of Object.entries(expected)) {
    it(`${name}`, () => {
      const col = featureColumn(m, name)
      values.forEach((v, r) => (Number.isNaN(v) ? expect(col[r], `row ${r}`).toBeNaN() : expect(col[r]!, `row ${r}`).toBeCloseTo(v, 12)))
    })
  }

  it("is column-major with the spec's column order", () => {
    expect(m.columns).toEqual(["lag_1", "lag_2", "roll_sum_3", "roll_mean_3", "roll_var_3", "log1p_lag_1"])
    expect(m.values.length).toBe(6 * 12)
    expect(m.values[2 * 12 + 3]).toBe(5) // roll_sum_3 at h4
    expect(featureRow(m, 3)).toMatchObject({ lag_1: 2, lag_2: 3, roll_sum_3: 5 })
  })

  it("uses only hours before the row: changing the row's own count changes none of its history features", () => {
    const changed = Float64Array.from(counts)
    changed[5] = 99 // hour 5 is row index 4
    const m2 = buildFeatureMatrix(spec("lag_1", "roll_var_3"), { hourly: { start: MONDAY, counts: changed }, from: at(1), hours: 12 })
    expect(featureColumn(m2, "lag_1")[4]).toBe(5)
    expect(featureColumn(m2, "roll_var_3")[4]).toBeCloseTo(7 / 3, 12)
    expect(featureColumn(m2, "lag_1")[5]).toBe(99)
  })
})

describe("exogenous and regime columns on a hand-computed fixture", () => {
  const events = [
    { start: at(2, 30), end: at(4), intensity: 0.5 }, // hours 2, 3 (an end on the hour stops before it)
    { start: at(3), end: at(3), intensity: 0.4 }, // zero length: hour 3
    { start: at(5, 10), end: at(6, 20), intensity: 1 }, // hours 5, 6
    { start: at(6), end: at(7, 59, 59), intensity: 0.2 } // hours 6, 7
  ]
  const regimes = [
    { at: at(8, 30), regimeId: "b" },
    { at: at(5), regimeId: "a" },
    { at: at(5), regimeId: "a, detected again later", knownAt: at(7) }
  ]
  const m = buildFeatureMatrix(spec("exo_intensity", "log1p_exo_count", "exo_count", "regime_index", "regime_1", "regime_2", "regime_3"), {
    hourly: { start: MONDAY, counts: new Float64Array(0) },
    from: at(1),
    hours: 9, // hours 1..9
    exogenous: events,
    regimes
  })
  it("combines overlapping events as 1 − Π(1 − x)", () => {
    const want = [0, 0.5, 1 - 0.5 * 0.6, 0, 1, 1, 0.2, 0, 0]
    want.forEach((v, r) => expect(featureColumn(m, "exo_intensity")[r]!, `row ${r}`).toBeCloseTo(v, 15))
    expect([...featureColumn(m, "exo_count")]).toEqual([0, 1, 2, 0, 1, 2, 1, 0, 0])
    expect(featureColumn(m, "log1p_exo_count")[2]).toBeCloseTo(Math.log(3), 15)
    expect(featureColumn(m, "exo_count")[2]).toBe(2) // the cached count column is not overwritten by its log1p
  })
  it("numbers distinct regime starts by time; an hour belongs to the regimes started at or before its start", () => {
    expect([...featureColumn(m, "regime_index")]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2])
    expect([...featureColumn(m, "regime_1")]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0])
    expect([...featureColumn(m, "regime_2")]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1])
    expect([...featureColumn(m, "regime_3")]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0])
  })
})

describe("calendar columns", () => {
  // Two weeks from a Sunday 22:00, crossing day and week boundaries.
  const from = Date.parse("2025-01-05T22:00:00Z")
  const hours = 2 * 168
  const names = [
    ...Array.from({ length: 24 }, (_, k) => `hour_${k}`),
    ...Array.from({ length: 7 }, (_, k) => `dow_${k}`),
    "fourier_day_sin_1",
    "fourier_day_cos_1",
    "fourier_day_sin_3",
    "fourier_week_sin_1",
    "fourier_week_cos_2"
  ]
  const m = buildFeatureMatrix(spec(...names), { hourly: { start: from, counts: new Float64Array(0) }, from, hours })
  it("matches the UTC clock with Monday = 0", () => {
    for (let r = 0; r < hours; r++) {
      const d = new Date(from + r * H)
      const hod = d.getUTCHours()
      const dow = (d.getUTCDay() + 6) % 7
      const row = featureRow(m, r)
      for (let k = 0; k < 24; k++) expect(row[`hour_${k}`]).toBe(k === hod ? 1 : 0)
      for (let k = 0; k < 7; k++) expect(row[`dow_${k}`]).toBe(k === dow ? 1 : 0)
      const how = dow * 24 + hod
      expect(row.fourier_day_sin_1).toBeCloseTo(Math.sin((2 * Math.PI * hod) / 24), 14)
      expect(row.fourier_day_cos_1).toBeCloseTo(Math.cos((2 * Math.PI * hod) / 24), 14)
      expect(row.fourier_day_sin_3).toBeCloseTo(Math.sin((2 * Math.PI * 3 * hod) / 24), 14)
      expect(row.fourier_week_sin_1).toBeCloseTo(Math.sin((2 * Math.PI * how) / 168), 14)
      expect(row.fourier_week_cos_2).toBeCloseTo(Math.cos((2 * Math.PI * 2 * how) / 168), 14)
    }
    // Spot checks written out: row 0 is Sunday 22:00, row 2 is Monday 00:00.
    expect(featureRow(m, 0)).toMatchObject({ hour_22: 1, dow_6: 1, fourier_week_sin_1: expect.closeTo(Math.sin((2 * Math.PI * 166) / 168), 14) })
    expect(featureRow(m, 2)).toMatchObject({ hour_0: 1, dow_0: 1, fourier_week_sin_1: 0, fourier_week_cos_2: 1 })
  })
})

describe("input checks", () => {
  it("rejects rows off the hour, negative or non-finite counts and unknown columns", () => {
    const hourly = { start: MONDAY, counts: Float64Array.from([1, 2]) }
    expect(() => buildFeatureMatrix(spec("lag_1"), { hourly, from: MONDAY + 1, hours: 1 })).toThrow(/UTC hours/)
    expect(() => buildFeatureMatrix(spec("lag_1"), { hourly: { start: MONDAY, counts: Float64Array.from([1, -1]) }, from: MONDAY, hours: 1 })).toThrow(
      /counts are finite/
    )
    expect(() => buildFeatureMatrix({ version: 1, columns: ["lag_0"] }, { hourly, from: MONDAY, hours: 1 })).toThrow(/lag_0/)
  })
})
