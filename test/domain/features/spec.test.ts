import { createHash } from "node:crypto"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  canonicalJson,
  defaultFeatureSpec,
  featureSpecHash,
  FeatureSpecSchema,
  makeFeatureSpec,
  parseColumn,
  specLookbackHours
} from "../../../src/domain/features/spec"

describe("FeatureSpec", () => {
  it("hashes the canonical JSON with sha256", () => {
    const spec = Either.getOrThrow(makeFeatureSpec(["lag_1", "hour_3"]))
    const text = '{"columns":["lag_1","hour_3"],"version":1}'
    expect(canonicalJson(spec)).toBe(text)
    expect(featureSpecHash(spec)).toBe("sha256:" + createHash("sha256").update(text).digest("hex"))
    // Key order of the value does not matter; column order does (it is the design-matrix order).
    expect(featureSpecHash({ columns: ["lag_1", "hour_3"], version: 1 })).toBe(featureSpecHash(spec))
    expect(featureSpecHash({ version: 1, columns: ["hour_3", "lag_1"] })).not.toBe(featureSpecHash(spec))
  })

  it("round-trips through JSON and its schema, and the schema refuses unknown or repeated columns", () => {
    const spec = defaultFeatureSpec({ regimes: 2 })
    const decoded = Schema.decodeUnknownSync(FeatureSpecSchema)(JSON.parse(JSON.stringify(spec)))
    expect(decoded).toEqual(spec)
    expect(featureSpecHash(decoded)).toBe(featureSpecHash(spec))
    expect(() => Schema.decodeUnknownSync(FeatureSpecSchema)({ version: 1, columns: ["lag_1", "lag_1"] })).toThrow(/named twice/)
    expect(() => Schema.decodeUnknownSync(FeatureSpecSchema)({ version: 1, columns: ["lagg_1"] })).toThrow(/unknown column/)
    expect(() => Schema.decodeUnknownSync(FeatureSpecSchema)({ version: 2, columns: ["lag_1"] })).toThrow()
  })

  it("default columns: lags, rolling, dummies without baselines, Fourier, exogenous; regimes only when they exist", () => {
    const plain = defaultFeatureSpec()
    expect(plain.columns.slice(0, 9)).toEqual([
      "lag_1",
      "lag_2",
      "lag_3",
      "lag_24",
      "lag_168",
      "roll_mean_24",
      "roll_var_24",
      "roll_mean_168",
      "roll_var_168"
    ])
    expect(plain.columns).not.toContain("hour_0")
    expect(plain.columns).not.toContain("dow_0")
    expect(plain.columns.filter((c) => c.startsWith("hour_"))).toHaveLength(23)
    expect(plain.columns.filter((c) => c.startsWith("dow_"))).toHaveLength(6)
    expect(plain.columns.filter((c) => c.startsWith("fourier_"))).toHaveLength(12)
    expect(plain.columns).toContain("exo_intensity")
    expect(plain.columns.some((c) => c.startsWith("regime"))).toBe(false)
    expect(defaultFeatureSpec({ regimes: 2 }).columns.slice(-3)).toEqual(["regime_index", "regime_1", "regime_2"])
    expect(specLookbackHours(plain)).toBe(168)
  })

  it.each(["lag_0", "lag_01", "roll_var_1", "hour_24", "dow_7", "fourier_day_sin_13", "fourier_week_cos_0", "log1p_hour_3", "regime_0", "x"])(
    "rejects column %s",
    (name) => {
      expect(Either.isLeft(parseColumn(name))).toBe(true)
    }
  )

  it.each(["lag_1", "roll_sum_24", "roll_var_2", "hour_0", "dow_6", "fourier_week_sin_84", "log1p_roll_mean_168", "regime_index", "regime_4"])(
    "accepts column %s",
    (name) => {
      expect(Either.isRight(parseColumn(name))).toBe(true)
    }
  )
})
