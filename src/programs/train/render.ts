/** The comparison table and calibration lines `train` prints, and its JSON form. */
import { NOWCAST_SUMMARY_KEYS, type ModelBacktestSummary } from "../../domain/events/backtest"
import type { ModelFittedData } from "../../domain/events/model"
import { pitHistogram } from "../../domain/metrics/pit"
import { protocolReport, skillScore } from "../../domain/metrics/evaluate"
import { toIsoUtc } from "../../domain/time"
import { formatNumber, renderTable } from "../cli/format"
import type { BacktestOutcome } from "./backtest-run"

const METRICS = ["mae_h24", "mae_h168", "mae_week", "crps_week", "cover80_week", "fit_s"] as const
/** Lower is better for every metric but coverage, whose best is closest to its nominal 0.8. */
const score = (m: (typeof METRICS)[number], v: number): number => (m === "cover80_week" ? Math.abs(v - 0.8) : v)

const bold = (s: string, on: boolean): string => (on ? `\x1b[1m${s}\x1b[0m` : s)

export const comparisonTable = (summaries: ReadonlyArray<ModelBacktestSummary>, terminal: boolean): string => {
  const naive = summaries.find((s) => s.model === "seasonal_naive")
  const best = new Map(METRICS.map((m) => [m, Math.min(...summaries.map((s) => score(m, s[m])))]))
  const header = ["model", "origins", ...METRICS, "crps_skill_vs_naive"]
  const rows = summaries.map((s) => {
    const skill = naive ? skillScore(s.crps_week, naive.crps_week) : null
    return [
      s.model,
      String(s.origins),
      ...METRICS.map((m) => bold(formatNumber(s[m]), terminal && score(m, s[m]) === best.get(m))),
      skill === null ? "-" : `${(skill * 100).toFixed(1)}%`
    ]
  })
  return renderTable(header, rows)
}

const NOWCAST_METRICS = NOWCAST_SUMMARY_KEYS

/** The nowcast table: the week total forecast 1, 3 and 5 days into the week (PROTOCOL.md). */
export const nowcastTable = (summaries: ReadonlyArray<ModelBacktestSummary>, terminal: boolean): string | undefined => {
  const rows = summaries.filter((s) => s.crps_week_at_1d !== undefined)
  if (rows.length === 0) return undefined
  const scoreOf = (m: (typeof NOWCAST_METRICS)[number], v: number) => (m.startsWith("cover80") ? Math.abs(v - 0.8) : v)
  const best = new Map(NOWCAST_METRICS.map((m) => [m, Math.min(...rows.map((s) => scoreOf(m, s[m]!)))]))
  return renderTable(
    ["model", ...NOWCAST_METRICS],
    rows.map((s) => [s.model, ...NOWCAST_METRICS.map((m) => bold(formatNumber(s[m]!), terminal && scoreOf(m, s[m]!) === best.get(m)))])
  )
}

export const calibrationLines = (outcome: BacktestOutcome): string[] =>
  outcome.summaries.map((s) => {
    const windows = outcome.perForecaster.get(s.model) ?? []
    const h = pitHistogram(windows.map((w) => w.metrics.pit_week), 5)
    return (
      `${s.model.padEnd(21)} coverage 50/80/95%: ${pct(s.cover50_week)}/${pct(s.cover80_week)}/${pct(s.cover95_week)}` +
      `  PIT quintiles: [${h.counts.join(" ")}]  log score ${formatNumber(s.logscore_week)}`
    )
  })

const pct = (v: number): string => `${Math.round(v * 100)}`

export const trainJson = (outcome: BacktestOutcome, fitted: ReadonlyArray<ModelFittedData>) => ({
  backtestId: outcome.backtestId,
  models: Object.fromEntries(
    outcome.summaries.map((s) => {
      const windows = outcome.perForecaster.get(s.model) ?? []
      const fit = fitted.find((f) => f.kind === s.model)
      return [
        s.model,
        {
          ...protocolReport(s),
          ...Object.fromEntries(NOWCAST_METRICS.filter((m) => s[m] !== undefined).map((m) => [m, s[m]])),
          summary: s,
          origins: windows.map((w) => ({ origin: toIsoUtc(w.origin), ...w.metrics, fit_s: w.fitSeconds })),
          fitted: fit ? { modelId: fit.modelId, trainStart: fit.trainStart, trainEnd: fit.trainEnd, params: fit.params } : null
        }
      ]
    })
  )
})
