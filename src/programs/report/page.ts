/**
 * The report page from the loaded data: one section per subject, each with its charts (rendered to
 * inline SVG) and tables, or a plain sentence saying what is missing and which command provides it.
 */
import { Effect } from "effect"
import { MODEL_KINDS } from "../../domain/models/model"
import { DAY_MS, HOUR_MS, toIsoUtc } from "../../domain/time"
import type { ReportData } from "./data"
import { code, empty, escapeHtml, figure, page, raw, section, table } from "./html"
import { fmt, keyParams } from "./params"
import type { TopLevelSpec } from "vega-lite"
import { bracketsSpec, coverageSpec, dailyCountsSpec, fanSpec, metricsSpec, PIT_BINS, PIT_FEW_ORIGINS, pitSpec, type CoveragePoint, type ModelMetrics } from "./specs"

export interface BuiltReport {
  readonly html: string
  /** data-chart names of the charts on the page, in page order. */
  readonly charts: ReadonlyArray<string>
  /** Sections that had nothing to show. */
  readonly emptySections: ReadonlyArray<string>
}

const day = (ms: number) => toIsoUtc(ms).slice(0, 10)
const minute = (ms: number) => toIsoUtc(ms).slice(0, 16).replace("T", " ") + " UTC"
const pct = (v: number) => `${(v * 100).toFixed(0)}%`
const shortId = (id: string) => id.slice(0, 8)
// tables list models in the charts' order (MODEL_KINDS), unknown kinds last
const kindOrder = (kind: string) => {
  const i = (MODEL_KINDS as ReadonlyArray<string>).indexOf(kind)
  return i < 0 ? MODEL_KINDS.length : i
}

export const buildReport = (data: ReportData) =>
  Effect.gen(function* () {
    const charts: string[] = []
    const emptySections: string[] = []
    // Vega is loaded on the first chart only: no other command pays for it.
    const chart = (name: string, caption: string, spec: TopLevelSpec) =>
      Effect.map(
        Effect.flatMap(Effect.promise(() => import("./render")), (m) => m.renderSvg(name, spec)),
        (svg) => {
          charts.push(name)
          return figure(name, caption, svg)
        }
      )
    const nothing = (id: string, what: string, command?: string) => {
      emptySections.push(id)
      return empty(what, command)
    }

    // (a) daily counts and regime shifts
    let countsBody: string
    if (data.daily.length === 0) countsBody = nothing("counts", "no tweets yet", "musktracker import FILE  (or: musktracker ingest)")
    else {
      const shifts = data.regimes.filter((r) => r.at >= data.daily[0]!.bucketStart && r.at <= data.daily[data.daily.length - 1]!.bucketStart + DAY_MS)
      const total = data.daily.reduce((a, b) => a + b.count, 0)
      countsBody =
        `<p class="note">${total.toLocaleString("en-US")} tweets (all kinds) on ${data.daily.length} UTC days, ${day(data.daily[0]!.bucketStart)} .. ${day(data.daily[data.daily.length - 1]!.bucketStart)}. ` +
        `Thin line: tweets per day; thick line: trailing 7-day mean; dashed rules: first day of a detected regime.</p>` +
        (yield* chart("daily-counts", "Tweets per UTC day with detected regime shifts", dailyCountsSpec(
            data.daily.map((d) => ({ day: d.bucketStart, count: d.count })),
            shifts,
            // the newest tweet's day is still in progress unless the data reach its end
            { partialLastDay: data.extent !== undefined && data.extent.last < data.daily[data.daily.length - 1]!.bucketStart + DAY_MS - HOUR_MS }
          )))
      countsBody +=
        shifts.length === 0
          ? nothing("regimes", "no regime shifts detected yet", "musktracker regimes detect")
          : `<h3>Regime shifts</h3>` +
            table(
              ["new regime from", "detector", "posts/day before → after", "knowable from", "probability"],
              shifts.map((s) => [day(s.at), s.detector, `${fmt(s.levelBefore)} → ${fmt(s.levelAfter)}`, day(s.detectedAt), fmt(s.probability)])
            )
    }

    // (b) latest forecast
    let forecastBody: string
    const f = data.forecast
    if (f === undefined) forecastBody = nothing("forecast", "no forecast yet", "musktracker forecast --horizon 7d")
    else {
      const v = f.view
      const q = (level: number) => v.total.quantiles.find((x) => Math.abs(x.level - level) < 1e-9)?.value
      const spread = [0.05, 0.1, 0.5, 0.9, 0.95].flatMap((l) => (q(l) === undefined ? [] : [`${pct(l)}: ${fmt(q(l)!)}`])).join(", ")
      const members =
        v.members.length === 1
          ? `model ${code(shortId(v.members[0]!.modelId)).html}`
          : v.members.map((m) => `${escapeHtml(m.kind)} ${pct(m.weight)} (${code(shortId(m.modelId)).html})`).join(", ")
      forecastBody =
        `<p class="note">Forecast ${code(v.forecastId).html} by ${escapeHtml(v.model)}${v.requested !== v.model ? ` (asked: ${escapeHtml(v.requested)})` : ""}: ${members}; ` +
        `window ${minute(v.windowStart)} .. ${minute(v.windowEnd)}, origin ${minute(v.origin)}, issued ${minute(v.issuedAt)}, ${v.paths} paths, seed ${v.seed}.</p>` +
        `<p>Window total: mean <strong>${fmt(v.total.mean)}</strong>${spread ? ` (${spread})` : ""}` +
        `${v.observed > 0 ? `, of which ${v.observed} already observed before the origin` : ""}.` +
        `${v.score !== null ? ` Scored: actual total <strong>${fmt(v.score.actual)}</strong>, CRPS ${fmt(v.score.crps)}, PIT ${fmt(v.score.pit)}.` : ""}</p>`
      forecastBody +=
        v.hourly.mean.length === 0
          ? `<p class="note">No simulated hours are left in this window.</p>`
          : yield* chart(
              "forecast-fan",
              "Hourly forecast: mean, median and 10–90% band; observed hourly counts in black",
              fanSpec({ start: v.hourly.start, origin: v.origin, mean: v.hourly.mean, q10: v.hourly.q10, q50: v.hourly.q50, q90: v.hourly.q90, observed: f.observed })
            )
      forecastBody +=
        v.brackets.length === 0
          ? `<p class="note">No bracket probabilities: this forecast was issued without <code>--brackets</code>.</p>`
          : yield* chart("forecast-brackets", "Probability of each bracket of the window total", bracketsSpec(v.brackets))
    }

    // (c) backtest metrics and calibration
    let backtestBody: string
    const bt = data.backtest
    if (bt === undefined || bt.summaries.length === 0) backtestBody = nothing("backtest", "no completed backtest yet", "musktracker train")
    else {
      const r = bt.run
      const models: ModelMetrics[] = bt.summaries.filter((s) => s.origins > 0).map((s) => ({ model: s.model, metrics: { crps_week: s.crps_week, mae_week: s.mae_week, mae_h24: s.mae_h24, mae_h168: s.mae_h168 } }))
      backtestBody =
        `<p class="note">Backtest ${code(r.backtestId).html}: ${r.origins.length} Monday origins (${r.protocol}) ` +
        `${r.origins.length > 0 ? `${day(r.origins[0]!)} .. ${day(r.origins[r.origins.length - 1]!)}` : ""}, train window ${escapeHtml(r.trainWindow)}, ` +
        `${r.paths} paths, seed ${r.seed}${r.completedAt !== null ? `, completed ${minute(r.completedAt)}` : ""}.</p>` +
        table(
          ["model", "origins", "crps_week", "mae_week", "mae_h24", "mae_h168", "cover50", "cover80", "cover95", "fit_s", "failed origins"],
          [...bt.summaries].sort((a, b) => kindOrder(a.model) - kindOrder(b.model)).map((s) => [
            s.model,
            s.origins,
            fmt(s.crps_week),
            fmt(s.mae_week),
            fmt(s.mae_h24),
            fmt(s.mae_h168),
            pct(s.cover50_week),
            pct(s.cover80_week),
            pct(s.cover95_week),
            fmt(s.fit_s),
            s.failures.length
          ]),
          "numeric"
        )
      if (models.length === 0) backtestBody += nothing("backtest-charts", "every model failed at every origin of this backtest")
      else {
        backtestBody += yield* chart("backtest-metrics", "Average error per model over the backtest origins (lower is better)", metricsSpec(models))
        backtestBody += `<h3>Calibration</h3><p class="note">PIT of the actual week total under each model's predictive distribution: a calibrated model gives a flat histogram (dashed: the uniform expectation). Coverage: share of origins whose actual week total fell inside the central 50/80/95% interval, against the nominal level (dashed diagonal).</p>`
        const pits = bt.windows.filter((w) => Number.isFinite(w.metrics.pit_week)).map((w) => ({ model: w.model, pit: w.metrics.pit_week }))
        backtestBody +=
          pits.length === 0
            ? nothing("calibration-pit", "no evaluated windows in this backtest")
            : (r.origins.length < PIT_FEW_ORIGINS
                ? `<p class="note warn">Only ${r.origins.length} origins: each of the ${PIT_BINS} bins holds about ${fmt(r.origins.length / PIT_BINS)} of them, so these histograms show little; a run over more origins (e.g. <code>musktracker train --protocol dev</code>) says more.</p>`
                : "") + (yield* chart("calibration-pit", "PIT histogram of the week total per model (one scale; n = origins)", pitSpec(pits)))
        const coverage: CoveragePoint[] = bt.summaries
          .filter((s) => s.origins > 0)
          .flatMap((s) => [
            { model: s.model, nominal: 0.5, empirical: s.cover50_week },
            { model: s.model, nominal: 0.8, empirical: s.cover80_week },
            { model: s.model, nominal: 0.95, empirical: s.cover95_week }
          ])
        backtestBody += yield* chart("calibration-coverage", "Interval coverage of the week total vs nominal", coverageSpec(coverage))
      }
    }

    // (d) fitted parameters
    const fitsBody =
      data.fits.length === 0
        ? nothing("fits", "no fitted model yet", "musktracker train")
        : `<div class="fits">` +
          data.fits
            .map(
              (m) =>
                `<div><h3>${escapeHtml(m.kind)}</h3><p class="note">model ${code(shortId(m.modelId)).html}, trained on ${day(m.trainStart)} .. ${day(m.trainEnd)} (${escapeHtml(m.trainWindow)}), fitted ${minute(m.fittedAt)}</p>` +
                table(
                  ["parameter", "value", "note"],
                  keyParams(m.kind, m.params, m.diagnostics).map((p) => [p.name, raw(`<span class="num">${escapeHtml(p.value)}</span>`), p.note ?? ""])
                ) +
                `</div>`
            )
            .join("") +
          `</div>`

    const sections = [
      { id: "counts", title: "Daily counts and regime shifts", body: countsBody },
      { id: "forecast", title: "Latest forecast", body: forecastBody },
      { id: "backtest", title: "Backtest metrics and calibration", body: backtestBody },
      { id: "fits", title: "Fitted parameters", body: fitsBody }
    ]
    const header =
      `<h1>MuskTracker report: @${escapeHtml(data.account)}</h1>` +
      `<p>Generated ${minute(data.generatedAt)} from ${escapeHtml(data.store)}.</p>` +
      `<p>${data.extent ? `Tweets from ${minute(data.extent.first)} to ${minute(data.extent.last)}.` : "The store holds no tweets."} All times UTC.</p>`
    return {
      html: page("MuskTracker report", header, sections, sections.map((s) => section(s.id, s.title, s.body))),
      charts,
      emptySections
    } satisfies BuiltReport
  })
