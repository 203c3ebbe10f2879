/**
 * The feature matrix: one row per UTC hour of [from, from + hours·1h), one column per name of a
 * `FeatureSpec`, stored column-major in one Float64Array (column c, row r at values[c·rows + r]).
 *
 * History features for hour h use only the counts of hours strictly before h. A value that needs an
 * hour outside the given series (before its start, or at/after its end: not known at the cutoff) is NaN,
 * never a guessed 0. The series itself must come from the as-of view (asof.ts), so nothing here can see
 * past the cutoff; exogenous events and regimes are likewise the as-of ones.
 */
import { Either } from "effect"
import type { HourlySeries } from "../models/model"
import { HOUR_MS, dayOfWeek, hourOfDay } from "../time"
import { exogenousCount, exogenousIntensity, type IntensityEvent } from "./intensity"
import { parseColumn, type ColumnDef, type FeatureSpec } from "./spec"

export interface RegimeStart {
  /** Epoch ms the regime starts; hours whose start is at or after it belong to it. */
  readonly at: number
  readonly regimeId: string
  /** When the shift was detected (public); absent means `at`. The as-of view drops later ones. */
  readonly knownAt?: number
}

export interface FeatureInput {
  /** Hourly counts known at the cutoff; hours outside the series are unknown. */
  readonly hourly: HourlySeries
  /** First row's hour (epoch ms on a UTC hour). */
  readonly from: number
  /** Number of rows (hours). */
  readonly hours: number
  readonly exogenous?: ReadonlyArray<IntensityEvent>
  readonly regimes?: ReadonlyArray<RegimeStart>
}

export interface FeatureMatrix {
  readonly start: number
  readonly rows: number
  readonly columns: ReadonlyArray<string>
  /** Column-major: column c, row r at values[c * rows + r]. */
  readonly values: Float64Array
}

/** One column of the matrix (a view, no copy). */
export const featureColumn = (m: FeatureMatrix, name: string): Float64Array => {
  const c = m.columns.indexOf(name)
  if (c < 0) throw new RangeError(`no feature column ${name}`)
  return m.values.subarray(c * m.rows, (c + 1) * m.rows)
}

/** Row r as a plain record (for display and tests). */
export const featureRow = (m: FeatureMatrix, r: number): Record<string, number> =>
  Object.fromEntries(m.columns.map((c, j) => [c, m.values[j * m.rows + r]!]))

/** Shared per-call precomputations, built lazily so unused groups cost nothing. */
class Context {
  private prefix?: { s1: Float64Array; s2: Float64Array }
  private calendar?: { hod: Uint8Array; dow: Uint8Array }
  private intensity?: Float64Array
  private count?: Float64Array
  private regimeIdx?: Float64Array
  /** Series index of row 0 (may be negative or past the end). */
  readonly offset: number

  constructor(readonly input: FeatureInput) {
    this.offset = (input.from - input.hourly.start) / HOUR_MS
  }

  sums(): { s1: Float64Array; s2: Float64Array } {
    if (!this.prefix) {
      const c = this.input.hourly.counts
      const s1 = new Float64Array(c.length + 1)
      const s2 = new Float64Array(c.length + 1)
      for (let i = 0; i < c.length; i++) {
        const v = c[i]!
        s1[i + 1] = s1[i]! + v
        s2[i + 1] = s2[i]! + v * v
      }
      this.prefix = { s1, s2 }
    }
    return this.prefix
  }

  cal(): { hod: Uint8Array; dow: Uint8Array } {
    if (!this.calendar) {
      const { from, hours } = this.input
      const hod = new Uint8Array(hours)
      const dow = new Uint8Array(hours)
      for (let r = 0; r < hours; r++) {
        const t = from + r * HOUR_MS
        hod[r] = hourOfDay(t)
        dow[r] = dayOfWeek(t)
      }
      this.calendar = { hod, dow }
    }
    return this.calendar
  }

  exoIntensity(): Float64Array {
    return (this.intensity ??= exogenousIntensity(this.input.exogenous ?? [], this.input.from, this.input.hours))
  }

  exoCount(): Float64Array {
    return (this.count ??= exogenousCount(this.input.exogenous ?? [], this.input.from, this.input.hours))
  }

  regimeIndex(): Float64Array {
    if (!this.regimeIdx) {
      // Distinct start instants: a start detected twice (by two runs) is still one regime.
      const starts = [...new Set((this.input.regimes ?? []).map((r) => r.at))].sort((a, b) => a - b)
      const out = new Float64Array(this.input.hours)
      let k = 0
      for (let r = 0; r < out.length; r++) {
        const t = this.input.from + r * HOUR_MS
        while (k < starts.length && starts[k]! <= t) k++
        out[r] = k
      }
      this.regimeIdx = out
    }
    return this.regimeIdx
  }
}

const fill = (ctx: Context, def: ColumnDef, out: Float64Array): void => {
  const rows = out.length
  const counts = ctx.input.hourly.counts
  const n = counts.length
  const off = ctx.offset
  switch (def.kind) {
    case "lag": {
      for (let r = 0; r < rows; r++) {
        const j = off + r - def.hours
        // Known only when hour j is in the series and before the row's hour (always true for L >= 1).
        out[r] = j >= 0 && j < n ? counts[j]! : Number.NaN
      }
      return
    }
    case "roll_sum":
    case "roll_mean":
    case "roll_var": {
      const { s1, s2 } = ctx.sums()
      const w = def.hours
      for (let r = 0; r < rows; r++) {
        const i = off + r // the window is series hours [i - w, i - 1]
        if (i - w < 0 || i > n) {
          out[r] = Number.NaN
          continue
        }
        const sum = s1[i]! - s1[i - w]!
        if (def.kind === "roll_sum") out[r] = sum
        else if (def.kind === "roll_mean") out[r] = sum / w
        else out[r] = Math.max(0, (s2[i]! - s2[i - w]! - (sum * sum) / w) / (w - 1))
      }
      return
    }
    case "hour": {
      const { hod } = ctx.cal()
      for (let r = 0; r < rows; r++) out[r] = hod[r] === def.k ? 1 : 0
      return
    }
    case "dow": {
      const { dow } = ctx.cal()
      for (let r = 0; r < rows; r++) out[r] = dow[r] === def.k ? 1 : 0
      return
    }
    case "fourier": {
      const { hod, dow } = ctx.cal()
      const fn = def.fn === "sin" ? Math.sin : Math.cos
      const period = def.period === "day" ? 24 : 168
      const w = (2 * Math.PI * def.k) / period
      for (let r = 0; r < rows; r++) out[r] = fn(w * (def.period === "day" ? hod[r]! : dow[r]! * 24 + hod[r]!))
      return
    }
    case "exo_intensity":
      out.set(ctx.exoIntensity())
      return
    case "exo_count":
      out.set(ctx.exoCount())
      return
    case "regime_index":
      out.set(ctx.regimeIndex())
      return
    case "regime": {
      const idx = ctx.regimeIndex()
      for (let r = 0; r < rows; r++) out[r] = idx[r] === def.k ? 1 : 0
      return
    }
    case "log1p": {
      fill(ctx, def.inner, out)
      for (let r = 0; r < rows; r++) out[r] = Math.log1p(out[r]!)
      return
    }
  }
}

/** Builds the matrix of `spec`'s columns for the rows of `input`. Throws RangeError on malformed input. */
export const buildFeatureMatrix = (spec: FeatureSpec, input: FeatureInput): FeatureMatrix => {
  const { from, hours, hourly } = input
  if (from % HOUR_MS !== 0 || hourly.start % HOUR_MS !== 0) throw new RangeError("feature rows and the hourly series must start on UTC hours")
  if (!Number.isInteger(hours) || hours < 0) throw new RangeError(`row count must be a non-negative integer, got ${hours}`)
  for (let i = 0; i < hourly.counts.length; i++) {
    const v = hourly.counts[i]!
    if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`hourly count ${i} is ${v}; counts are finite and >= 0`)
  }
  const defs = spec.columns.map((c) => Either.getOrThrowWith(parseColumn(c), (e) => new RangeError(e.message)))
  const values = new Float64Array(defs.length * hours)
  const ctx = new Context(input)
  defs.forEach((def, c) => fill(ctx, def, values.subarray(c * hours, (c + 1) * hours)))
  return { start: from, rows: hours, columns: [...spec.columns], values }
}
