/** The report's key-parameter rows per model kind and its HTML helpers. */
import { describe, expect, it } from "vitest"
import { escapeHtml, table } from "../../src/programs/report/html"
import { fmt, keyParams, topCoefficients } from "../../src/programs/report/params"

const byName = (rows: ReadonlyArray<{ name: string; value: string; note?: string }>) => new Map(rows.map((r) => [r.name, r]))

describe("key parameters", () => {
  it("hawkes: α, β, half-life in minutes, mean baseline and the stationary rate", () => {
    const rows = byName(
      keyParams(
        "hawkes",
        { baseline: "hour_of_day", exogenous: false, mu: [1, 2, 3], dayOfWeek: null, alpha: 0.75, beta: 2.5, gamma: 0 },
        { logLik: -1234.5, nEvents: 900, converged: true, standardErrors: { alpha: 0.02, beta: 0.3, gamma: null }, timeRescaling: { ksPValue: 0.42 } }
      )
    )
    expect(rows.get("α (branching ratio)")).toEqual({ name: "α (branching ratio)", value: "0.75", note: "SE 0.02" })
    expect(rows.get("β (decay rate, 1/h)")?.value).toBe("2.5")
    // ln 2 / 2.5 h = 16.64 min
    expect(rows.get("half-life (minutes)")?.value).toBe("16.64")
    expect(rows.get("mean baseline μ (posts/h)")).toMatchObject({ value: "2", note: "3 levels" })
    expect(rows.get("stationary rate (posts/h)")?.value).toBe("8")
    expect(rows.get("time-rescaling KS p-value")?.value).toBe("0.42")
    expect(rows.get("converged")?.value).toBe("true")
    expect(rows.has("γ (exogenous log-multiplier)")).toBe(false)
  })

  it("hawkes: γ only when the exogenous term is on; a missing field is left out, not shown as NaN", () => {
    const rows = keyParams("hawkes", { exogenous: true, alpha: 0.5, beta: "oops", gamma: 0.3, mu: [] }, {})
    expect(rows.map((r) => r.name)).toEqual(["α (branching ratio)", "γ (exogenous log-multiplier)"])
    expect(rows.every((r) => !r.value.includes("NaN"))).toBe(true)
  })

  it("negative binomial: α with its SE, intercept, then the largest coefficients by |estimate|", () => {
    const diagnostics = {
      coefficients: {
        const: { estimate: 1.1, se: 0.1 },
        hour_3: { estimate: -0.2, se: 0.05 },
        lag_1: { estimate: 0.9, se: 0.01 },
        dow_2: { estimate: 0, se: null },
        hour_17: { estimate: -1.5, se: null },
        roll_24: { estimate: 0.4, se: 0.2 }
      },
      seAlpha: 0.03,
      llf: -2000,
      nobs: 1344,
      aic: 4100,
      converged: true
    }
    const rows = keyParams("negative_binomial", { alpha: 0.31, beta: [], columns: [] }, diagnostics)
    expect(rows.map((r) => r.name)).toEqual([
      "α (NB2 dispersion)",
      "β const (intercept)",
      "β hour_17",
      "β lag_1",
      "β roll_24",
      "β hour_3",
      "log-likelihood",
      "AIC",
      "converged"
    ])
    expect(rows[0]).toMatchObject({ value: "0.31", note: "SE 0.03" })
    expect(rows[1]).toEqual({ name: "β const (intercept)", value: "1.1", note: "SE 0.1" })
    expect(rows[2]).toEqual({ name: "β hour_17", value: "-1.5" })
    expect(topCoefficients(diagnostics, 2).map((r) => r.name)).toEqual(["β hour_17", "β lag_1"])
  })

  it("sarimax: order, ARMA terms, trend and σ² with SEs; regressors left out", () => {
    const rows = keyParams(
      "sarimax",
      {
        spec: { order: [1, 0, 1], seasonalOrder: [1, 0, 1, 24], transform: "log1p" },
        names: ["intercept", "fourier_sin_1", "ar.L1", "ma.L1", "ar.S.L24", "ma.S.L24", "sigma2"],
        values: [0.01, 0.2, 0.5, -0.3, 0.9, -0.8, 0.64]
      },
      { standardErrors: [0.001, 0.02, 0.05, null, 0.01, 0.02, 0.03], loglik: -1500, aic: 3020, nobs: 1344, converged: true }
    )
    const names = rows.map((r) => r.name)
    expect(names).toEqual(["order", "intercept", "ar.L1", "ma.L1", "ar.S.L24", "ma.S.L24", "sigma2", "log-likelihood", "AIC", "converged"])
    expect(rows[0]).toEqual({ name: "order", value: "(1,0,1)(1,0,1,24)", note: "transform log1p" })
    expect(byName(rows).get("ma.L1")).toEqual({ name: "ma.L1", value: "-0.3" })
    expect(byName(rows).get("sigma2")).toEqual({ name: "sigma2", value: "0.64", note: "SE 0.03" })
  })

  it("sarimax: a coefficient on the unit-root / invertibility boundary is flagged beside 'converged'", () => {
    const rows = keyParams(
      "sarimax",
      { spec: { order: [1, 0, 1], seasonalOrder: [1, 0, 1, 24] }, names: ["ar.L1", "ar.S.L24", "ma.S.L24", "sigma2"], values: [0.5, 1, -0.9976, 0.6] },
      { converged: true }
    )
    const warning = byName(rows).get("warning")
    expect(warning?.value).toBe("on the boundary")
    expect(warning?.note).toContain("ar.S.L24, ma.S.L24")
    const fine = keyParams("sarimax", { names: ["ar.L1", "ma.L1"], values: [0.5, -0.3] }, { converged: true })
    expect(byName(fine).get("warning")).toBeUndefined()
  })

  it("baselines and an unknown kind", () => {
    expect(byName(keyParams("seasonal_naive", { dispersion: 0.0637 }, { weeks: 8, inSampleMae: 2.98 })).get("weeks in window")?.value).toBe("8")
    const ps = byName(keyParams("poisson_seasonal", { rates: [1, 2, 6] }, { pearsonDispersion: 4.9, trainHours: 1344 }))
    expect(ps.get("mean rate (posts/h)")?.value).toBe("3")
    expect(ps.get("peak hour-of-week rate")?.value).toBe("6")
    expect(keyParams("something_new", { a: 1, b: "x", c: 2.5 }, {})).toEqual([
      { name: "a", value: "1" },
      { name: "c", value: "2.5" }
    ])
  })

  it("formats with 4 significant digits, exponent only for extreme magnitudes", () => {
    expect([fmt(0), fmt(1234.567), fmt(0.012345), fmt(-2.5), fmt(1.5e-7), fmt(2.5e7)]).toEqual(["0", "1235", "0.01235", "-2.5", "1.500e-7", "2.500e+7"])
  })
})

describe("html helpers", () => {
  it("escapes text, so a model name or id can never inject markup", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
    expect(table(["a<b"], [["<i>"]])).toBe("<table><thead><tr><th>a&lt;b</th></tr></thead><tbody><tr><td>&lt;i&gt;</td></tr></tbody></table>")
  })
})
