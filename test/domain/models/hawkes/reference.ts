/** Loaders for ../shared/reference/hawkes-*.json (read in place, never copied into the project). */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { SHARED_REFERENCE } from "../../../support/shared-data"
import { hawkesDataFromEpochMs, hawkesDataFromHours, type HawkesData } from "../../../../src/domain/models/hawkes/index"

export const referencePath = (file: string): string => join(SHARED_REFERENCE, file)

export interface ReferenceMle {
  readonly mu: number[]
  readonly alpha: number
  readonly beta: number
  readonly max_loglik: number
  readonly asymptotic_se: { readonly mu: number[]; readonly alpha: number; readonly beta: number }
}

export interface RealReference {
  readonly window_start: string
  readonly window_end: string
  readonly T_hours: number
  readonly n_events: number
  readonly event_times_hours: number[]
  readonly event_ms_since_start: number[]
  readonly bin_exposure_hours: number[]
  readonly fixed_parameter_checks: Array<{
    readonly params: { readonly mu: number[]; readonly alpha: number; readonly beta: number }
    readonly loglik: number
    readonly gradient: number[]
    readonly prefix_check: { readonly prefix_T_hours: number; readonly prefix_n_events: number; readonly loglik_naive_O_N2: number }
  }>
  readonly mle: ReferenceMle
}

export interface SimulatedReference {
  readonly T_hours: number
  readonly n_events: number
  readonly event_times_hours: number[]
  readonly true_params: { readonly mu: number[]; readonly alpha: number; readonly beta: number }
  readonly loglik_at_true_params: number
  readonly mle: ReferenceMle
}

export const loadReal = (name: "constant" | "periodic"): RealReference =>
  JSON.parse(readFileSync(referencePath(`hawkes-${name}.json`), "utf8")) as RealReference

export const loadSimulated = (): SimulatedReference => JSON.parse(readFileSync(referencePath("hawkes-simulated.json"), "utf8")) as SimulatedReference

/** Epoch ms of the reference's events (window_start + integer ms offsets). */
export const realEventMs = (ref: RealReference): Float64Array => {
  const start = Date.parse(ref.window_start)
  return Float64Array.from(ref.event_ms_since_start, (v) => start + v)
}

export const realData = (ref: RealReference, baseline: "constant" | "hour_of_day" | "hour_of_day_day_of_week"): HawkesData =>
  hawkesDataFromEpochMs(baseline, Date.parse(ref.window_start), Date.parse(ref.window_end), realEventMs(ref))

/** The simulated set: t = 0 is "a Monday 00:00 UTC" (which one does not matter for hour-of-day bins). */
export const SIMULATED_START = Date.parse("2025-12-01T00:00:00Z")

export const simulatedData = (ref: SimulatedReference): HawkesData =>
  hawkesDataFromHours("hour_of_day", SIMULATED_START, ref.T_hours, Float64Array.from(ref.event_times_hours))

export const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b)
