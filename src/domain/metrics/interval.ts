/**
 * Central prediction intervals from samples and their coverage.
 * The central c-interval is [Q((1 − c)/2), Q((1 + c)/2)] with Q the type-7 sample quantile
 * (stats/quantile.ts); an outcome is inside when lo ≤ y ≤ hi (closed at both ends, which matters
 * for integer counts that often equal a bound).
 */
import { quantileSorted } from "../stats/quantile"

export const COVERAGE_LEVELS = [0.5, 0.8, 0.95] as const

export interface Interval {
  readonly level: number
  readonly lo: number
  readonly hi: number
}

export const centralInterval = (sorted: ArrayLike<number>, level: number): Interval => {
  if (!(level > 0 && level < 1)) throw new RangeError(`interval level must be in (0,1), got ${level}`)
  return { level, lo: quantileSorted(sorted, (1 - level) / 2), hi: quantileSorted(sorted, (1 + level) / 2) }
}

export const inside = (interval: Interval, y: number): boolean => interval.lo <= y && y <= interval.hi

/** Share of outcomes inside their intervals. */
export const coverage = (intervals: ReadonlyArray<Interval>, ys: ArrayLike<number>): number => {
  if (intervals.length !== ys.length) throw new RangeError(`${intervals.length} intervals, ${ys.length} outcomes`)
  if (intervals.length === 0) throw new RangeError("coverage of no intervals")
  let k = 0
  intervals.forEach((iv, i) => {
    if (inside(iv, ys[i]!)) k++
  })
  return k / intervals.length
}
