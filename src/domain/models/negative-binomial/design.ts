/**
 * The NB2 model's design on hourly counts — exactly the 32 columns of the statsmodels reference
 * (../shared/reference/README.md, nb2-glm.json), optionally followed by an exogenous intensity column (`exo_intensity`, the features module's name):
 *
 *   const | hour_1..hour_23 (UTC hour, 0 = baseline) | dow_1..dow_6 (UTC day, Monday = 0 = baseline)
 *   | log1p_sum_prev24 = log1p(Σ counts[t-24..t-1]) | log1p_mean_prev168 = log1p(Σ counts[t-168..t-1] / 168)
 *   [| exo_intensity]
 *
 * The lag columns need 168 hours of history, so the first WARMUP_HOURS hours of a window are warm-up:
 * they feed the lag features of later rows but are not modelled themselves.
 *
 * One row builder (`fillStaticRow` + the two lag transforms) serves both fitting and the recursive
 * simulation, so a forecast uses exactly the features the model was fitted on.
 */
import { HOUR_MS, dayOfWeek, hourOfDay } from "../../time"
import type { HourlySeries } from "../model"

export const WARMUP_HOURS = 168

export const NB_BASE_COLUMNS: ReadonlyArray<string> = [
  "const",
  ...Array.from({ length: 23 }, (_, i) => `hour_${i + 1}`),
  ...Array.from({ length: 6 }, (_, i) => `dow_${i + 1}`),
  "log1p_sum_prev24",
  "log1p_mean_prev168"
]
export const EXOG_COLUMN = "exo_intensity"

/** Column indices of the two lag features and of the exogenous column (when present). */
export const LAG24_COL = 30
export const LAG168_COL = 31
export const EXOG_COL = 32

export const designColumns = (withExogenous: boolean): ReadonlyArray<string> =>
  withExogenous ? [...NB_BASE_COLUMNS, EXOG_COLUMN] : NB_BASE_COLUMNS

/** Calendar of consecutive hours from `t0`: hour-of-day and day-of-week advanced without a Date per hour. */
export class HourCursor {
  hour: number
  dow: number
  constructor(t0: number) {
    this.hour = hourOfDay(t0)
    this.dow = dayOfWeek(t0)
  }
  next(): void {
    if (++this.hour === 24) {
      this.hour = 0
      this.dow = this.dow === 6 ? 0 : this.dow + 1
    }
  }
}

/** The lag transforms (also used, via tables, by the simulator: keep them the one definition). */
export const lag24Feature = (sum24: number): number => Math.log1p(sum24)
export const lag168Feature = (sum168: number): number => Math.log1p(sum168 / 168)

/**
 * Writes the non-lag part of the row for an hour with UTC hour-of-day `h` and day-of-week `d` (Monday = 0;
 * from time.ts's hourOfDay/dayOfWeek) into `row` at `offset`: const, hour and day dummies, exogenous
 * intensity when `p` > EXOG_COL. Lag entries are set to 0.
 */
export const fillStaticRow = (row: Float64Array, offset: number, p: number, h: number, d: number, exog: number): void => {
  for (let j = 0; j < p; j++) row[offset + j] = 0
  row[offset] = 1
  if (h > 0) row[offset + h] = 1
  if (d > 0) row[offset + 23 + d] = 1
  if (p > EXOG_COL) row[offset + EXOG_COL] = exog
}

export interface NbDesign {
  /** Row-major n × p. */
  readonly X: Float64Array
  readonly y: Float64Array
  readonly n: number
  readonly p: number
  readonly columns: ReadonlyArray<string>
  /** Epoch ms of the first modelled hour (after the warm-up). */
  readonly start: number
}

export interface DesignOptions {
  /**
   * Exogenous intensity per hour aligned with `hourly.start` (ModelInputs.exogenous); when given, the
   * exo_intensity column is appended. Hours past the array's end count as 0.
   */
  readonly exogenous?: Float64Array
  /** Model only the last `rows` hours of the window (default: every hour after the warm-up). */
  readonly rows?: number
}

/**
 * Builds the design on an hourly window: rows are the hours after the warm-up (or the last `rows`),
 * each row's lag features use only the counts strictly before that hour.
 */
export const buildNbDesign = (hourly: HourlySeries, options: DesignOptions = {}): NbDesign => {
  const counts = hourly.counts
  const total = counts.length
  const available = total - WARMUP_HOURS
  if (available <= 0) {
    throw new RangeError(`the NB2 design needs more than ${WARMUP_HOURS} hours (warm-up for the 168 h lag), got ${total}`)
  }
  const n = options.rows === undefined ? available : Math.min(options.rows, available)
  if (!(n > 0) || !Number.isInteger(n)) throw new RangeError(`rows must be a positive integer, got ${options.rows}`)
  const first = total - n
  const withExog = options.exogenous !== undefined
  const columns = designColumns(withExog)
  const p = columns.length
  const X = new Float64Array(n * p)
  const y = new Float64Array(n)
  // Running window sums over [i-24, i-1] and [i-168, i-1]; counts are integers so they stay exact.
  let s24 = 0
  let s168 = 0
  for (let k = first - 168; k < first; k++) s168 += counts[k]!
  for (let k = first - 24; k < first; k++) s24 += counts[k]!
  const cal = new HourCursor(hourly.start + first * HOUR_MS)
  for (let r = 0; r < n; r++, cal.next()) {
    const i = first + r
    const exog = withExog ? (options.exogenous![i] ?? 0) : 0
    const o = r * p
    fillStaticRow(X, o, p, cal.hour, cal.dow, exog)
    X[o + LAG24_COL] = lag24Feature(s24)
    X[o + LAG168_COL] = lag168Feature(s168)
    y[r] = counts[i]!
    s24 += counts[i]! - counts[i - 24]!
    s168 += counts[i]! - counts[i - 168]!
  }
  return { X, y, n, p, columns, start: hourly.start + first * HOUR_MS }
}
