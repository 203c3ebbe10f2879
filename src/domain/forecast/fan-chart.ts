/**
 * A small terminal chart of the hourly forecast fan: the median (`*`) inside the 10–90% band (`:`), one
 * column per hour (or per group of hours when the window is wider than the chart), days marked on the
 * time axis. Plain ASCII, a pure function to a string.
 */
import { DAY_MS, HOUR_MS } from "../time"

export interface FanInput {
  /** Epoch ms of the first hour. */
  readonly start: number
  readonly q10: ArrayLike<number>
  readonly q50: ArrayLike<number>
  readonly q90: ArrayLike<number>
}

export interface FanOptions {
  /** Maximum plot columns (default 72). */
  readonly width?: number
  /** Plot rows (default 9: levels 0, ymax/8, ..., ymax). */
  readonly height?: number
}

const niceCeil = (v: number): number => {
  if (v <= 1) return 1
  const p = Math.pow(10, Math.floor(Math.log10(v)))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

const pad2 = (n: number): string => String(n).padStart(2, "0")

export const renderFanChart = (fan: FanInput, options: FanOptions = {}): string => {
  const hours = fan.q50.length
  if (hours === 0) return "(no simulated hours)"
  const width = Math.max(8, options.width ?? 72)
  const height = Math.max(3, options.height ?? 9)
  const per = Math.ceil(hours / width)
  const cols = Math.ceil(hours / per)
  const avg = (xs: ArrayLike<number>, c: number) => {
    let s = 0
    let n = 0
    for (let h = c * per; h < Math.min(hours, (c + 1) * per); h++, n++) s += xs[h]!
    return s / n
  }
  const lo = Array.from({ length: cols }, (_, c) => avg(fan.q10, c))
  const mid = Array.from({ length: cols }, (_, c) => avg(fan.q50, c))
  const hi = Array.from({ length: cols }, (_, c) => avg(fan.q90, c))
  const ymax = niceCeil(Math.max(...hi))
  // Row r (0 = top) shows the level ymax·(height−1−r)/(height−1); a value goes to the nearest level.
  const rowOf = (v: number) => height - 1 - Math.min(height - 1, Math.max(0, Math.round((v / ymax) * (height - 1))))
  const grid = Array.from({ length: height }, () => new Array<string>(cols).fill(" "))
  for (let c = 0; c < cols; c++) {
    for (let r = rowOf(hi[c]!); r <= rowOf(lo[c]!); r++) grid[r]![c] = ":"
    grid[rowOf(mid[c]!)]![c] = "*"
  }
  const label = (r: number) => (r === 0 ? String(ymax) : r === height - 1 ? "0" : 2 * r === height - 1 ? String(+(ymax / 2).toFixed(1)) : "")
  const labelWidth = Math.max(...Array.from({ length: height }, (_, r) => label(r).length))
  const lines = grid.map((row, r) => `${label(r).padStart(labelWidth)} |${row.join("").trimEnd()}`)
  lines.push(`${" ".repeat(labelWidth)} +${"-".repeat(cols)}`)
  // Day marks: a `|` under the column where a UTC day starts, labelled MM-DD when there is room.
  const axis = new Array<string>(cols + 8).fill(" ")
  let free = 0
  for (let c = 0; c < cols; c++) {
    const t0 = fan.start + c * per * HOUR_MS
    const t1 = t0 + per * HOUR_MS
    const dayStart = Math.ceil(t0 / DAY_MS) * DAY_MS
    if (dayStart < t1 && c >= free) {
      const d = new Date(dayStart)
      const text = `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
      for (let k = 0; k < text.length; k++) axis[c + k] = text[k]!
      free = c + text.length + 1
    }
  }
  lines.push(`${" ".repeat(labelWidth)}  ${axis.join("").trimEnd()}`)
  const unit = per === 1 ? "hour" : `${per} hours`
  lines.push(`${" ".repeat(labelWidth)}  posts per hour: median * inside the 10-90% band :  (one column = ${unit}, UTC days)`)
  return lines.join("\n")
}
