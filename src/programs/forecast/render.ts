/** How a forecast is printed: a text report with the fan chart (table), CSV rows, or JSON. */
import { LEGACY_ACCOUNT } from "../../domain/accounts/account"
import type { ForecastIssuedData, ForecastResult, ForecastScoredData } from "../../domain/events/forecast"
import { renderFanChart } from "../../domain/forecast/fan-chart"
import { TOTAL_QUANTILES } from "../../domain/models/model"
import { HOUR_MS, parseInstant, toIsoUtc } from "../../domain/time"
import { counted, formatNumber, renderCsv, renderTable } from "../cli/format"

/** A forecast as shown: the event's payload without the path sample, plus when it was issued and its score. */
export type ForecastView = Omit<ForecastIssuedData, "result"> & {
  readonly result: Omit<ForecastResult, "sample">
  readonly issuedAt?: number
  readonly score?: Omit<ForecastScoredData, "forecastId" | "watermark">
}

export const viewOf = (d: ForecastIssuedData, extra: { issuedAt?: number; score?: ForecastView["score"] } = {}): ForecastView => {
  const { sample: _sample, ...result } = d.result
  return { ...d, result, ...extra }
}

const pctLabel = (level: number): string => `${Math.round(level * 100)}%`
const round1 = (v: number): number => Math.round(v * 10) / 10
/** Hourly rows are printed in the table only up to this many hours (CSV and JSON always have all). */
const MAX_HOURLY_ROWS = 48

const describeModel = (v: ForecastView): string =>
  v.model === "ensemble"
    ? `ensemble of ${v.members.map((m) => `${m.kind} ${m.weight.toFixed(3)}`).join(", ")}`
    : `${v.model} (model ${v.members[0]!.modelId})`

export const renderForecastText = (v: ForecastView, options: { readonly chart?: boolean } = {}): string => {
  const r = v.result
  const out: string[] = []
  out.push(`forecast ${v.forecastId}: ${describeModel(v)}${v.requested !== v.model ? ` [asked: ${v.requested}]` : ""}`)
  out.push(
    `@${v.account ?? LEGACY_ACCOUNT}   origin ${v.origin} (data as of log position ${v.watermark})   window ${v.window.start} .. ${v.window.end}` +
      (v.horizon !== undefined ? ` (${v.horizon})` : "")
  )
  out.push(`counting ${v.countKinds.join(", ")}; ${v.paths} paths, seed ${v.seed}; ${v.codeVersion}${v.issuedAt !== undefined ? `; issued ${toIsoUtc(v.issuedAt)}` : ""}`)
  for (const n of v.notes) out.push(`note: ${n}`)
  out.push("")
  if (r.hourly.mean.length > 0 && options.chart !== false) {
    out.push(renderFanChart({ start: parseInstant(r.hourly.start)!, q10: r.hourly.q10, q50: r.hourly.q50, q90: r.hourly.q90 }))
    out.push("")
  }
  const hourStart = parseInstant(r.hourly.start)!
  if (r.hourly.mean.length <= MAX_HOURLY_ROWS) {
    out.push("hourly (simulated hours of the window):")
    out.push(
      renderTable(
        ["hour", "mean", "10%", "50%", "90%"],
        r.hourly.mean.map((m, h) => [toIsoUtc(hourStart + h * HOUR_MS), round1(m), r.hourly.q10[h]!, r.hourly.q50[h]!, r.hourly.q90[h]!])
      )
    )
  } else out.push(`hourly: ${r.hourly.mean.length} hours from ${r.hourly.start} (all of them with --format csv or json)`)
  out.push("")
  out.push("daily totals (24 h blocks from the window start):")
  // A day that starts at or after the origin has observed nothing yet: "—", not a count of 0.
  const notYet = (start: string) => Date.parse(start) >= Date.parse(v.origin)
  out.push(
    renderTable(
      ["from", "to", "observed", "mean", "10%", "50%", "90%"],
      r.days.map((d) => [d.start, d.end, notYet(d.start) ? "—" : d.observed, round1(d.mean), d.q10, d.q50, d.q90])
    )
  )
  out.push("")
  const levels = TOTAL_QUANTILES.map(pctLabel)
  const distRow = (label: string, d: ForecastResult["total"]) => [label, round1(d.mean), ...d.quantiles.map((q) => round1(q.value))]
  out.push("window total:")
  out.push(
    renderTable(
      ["", "mean", ...levels],
      r.observed.hours > 0 ? [distRow("total", r.total), distRow("remaining", r.remaining)] : [distRow("total", r.total)]
    )
  )
  if (r.observed.hours > 0)
    out.push(
      `observed so far: ${counted(r.observed.count, "tweet")} in ${v.window.start} .. ${v.origin} (${r.observed.hours} h); ` +
        `remaining ${r.hourly.mean.length} h simulated; total = observed + remaining`
    )
  if (r.brackets !== undefined) {
    out.push("")
    out.push("brackets (probability that the window total falls in each):")
    out.push(renderTable(["bracket", "probability", "paths"], r.brackets.map((b) => [b.label, b.probability.toFixed(4), b.count])))
  }
  if (v.score !== undefined) {
    out.push("")
    const s = v.score
    out.push(
      `scored: actual ${s.actual}; CRPS ${formatNumber(s.crps)}; log score ${formatNumber(s.logScore)}; PIT ${s.pit.toFixed(3)}; ` +
        `inside 50/80/95%: ${yn(s.inside50)}/${yn(s.inside80)}/${yn(s.inside95)}`
    )
  }
  return out.join("\n")
}

const yn = (b: boolean): string => (b ? "yes" : "no")

const CSV_HEADER = ["section", "label", "start", "end", "observed", "mean", "q05", "q10", "q25", "q50", "q75", "q90", "q95", "probability", "paths"] as const

/** One CSV: hour rows, day rows, the total and remaining rows, and bracket rows (blank cells where n/a). */
export const renderForecastCsv = (v: ForecastView): string => {
  const r = v.result
  const rows: Array<Array<string | number>> = []
  const blank = (n: number) => new Array<string>(n).fill("")
  const hourStart = parseInstant(r.hourly.start)!
  r.hourly.mean.forEach((m, h) => {
    const s = hourStart + h * HOUR_MS
    rows.push(["hour", "", toIsoUtc(s), toIsoUtc(s + HOUR_MS), "", m, "", r.hourly.q10[h]!, "", r.hourly.q50[h]!, "", r.hourly.q90[h]!, "", "", ""])
  })
  for (const d of r.days) rows.push(["day", "", d.start, d.end, d.observed, d.mean, "", d.q10, "", d.q50, "", d.q90, "", "", ""])
  const dist = (label: string, observed: number | string, d: ForecastResult["total"]) =>
    rows.push([label, "", v.window.start, v.window.end, observed, d.mean, ...d.quantiles.map((q) => q.value), "", ""])
  dist("total", r.observed.count, r.total)
  dist("remaining", "", r.remaining)
  for (const b of r.brackets ?? []) rows.push(["bracket", b.label, "", "", "", ...blank(8), b.probability, b.count])
  return renderCsv(CSV_HEADER, rows)
}

/** JSON: the view as is (instants ISO, the hourly fan as arrays). */
export const renderForecastJson = (v: ForecastView): unknown => v
