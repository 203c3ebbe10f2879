/**
 * SARIMAX benchmark (issue 10). Per development origin of ../shared/PROTOCOL.md (25 Mondays
 * 2025-07-07 .. 2025-12-22): fit SARIMAX(1,0,1)(1,0,1,24), trend 'c', log1p, 2 weekly harmonics on the
 * 8 weeks (1,344 hours) before the origin, then simulate 2000 paths of 168 hours.
 * statsmodels takes a median 7.8–9.9 s per origin on this machine and stops short of convergence on 2
 * of the 25 origins (issue 10). Targets: median fit + forecast <= 1 s, 0 convergence failures.
 * Wall times are reported (the protocol's fit_s); process CPU time is reported too, because the
 * machine is shared and wall time then includes waiting for a core.
 */
import { performance } from "node:perf_hooks"
import { atMost, medianMs, peakRssMiB, report, type BenchResult } from "./lib"
import { loadTweetTimes } from "./data"
import { defaultSarimaxSpec, sarimaxModel } from "../src/domain/models/sarimax/index"
import { filterAt } from "../src/domain/models/sarimax/arma-params"
import { buildRegressors, filterData, transformCount } from "../src/domain/models/sarimax/design"
import { profileLoglik } from "../src/domain/models/sarimax/likelihood"
import { orderOf } from "../src/domain/models/sarimax/spec"
import { bucketHourly, HOUR_MS, mondaysBetween, WEEK_MS } from "../src/domain/time"
import type { ModelInputs } from "../src/domain/models/model"

const TRAIN_HOURS = 1344
const PATHS = 2000
const HORIZON = 168
const ORIGINS = mondaysBetween(Date.parse("2025-07-07T00:00:00Z"), Date.parse("2025-12-22T00:00:00Z"))

const lowerBound = (a: Float64Array, x: number): number => {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const h = s.length >> 1
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2
}

export default async function run(): Promise<BenchResult> {
  const times = loadTweetTimes()
  const inputsAt = (origin: number): ModelInputs => {
    const start = origin - TRAIN_HOURS * HOUR_MS
    const eventTimes = times.subarray(lowerBound(times, start), lowerBound(times, origin))
    return { origin, hourly: { start, counts: bucketHourly(eventTimes, start, TRAIN_HOURS) }, eventTimes }
  }
  const spec = defaultSarimaxSpec
  // Warm-up (JIT) on the first origin, untimed.
  sarimaxModel.forecast(sarimaxModel.fit(inputsAt(ORIGINS[0]!), spec), inputsAt(ORIGINS[0]!), HORIZON, { paths: PATHS, seed: 1 })

  const wall: number[] = []
  const cpu: number[] = []
  const details: Record<string, unknown>[] = []
  let failures = 0
  for (const origin of ORIGINS) {
    const inputs = inputsAt(origin)
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    let fitted
    try {
      fitted = sarimaxModel.fit(inputs, spec)
    } catch (e) {
      failures++
      details.push({ origin: new Date(origin).toISOString(), error: String(e) })
      continue
    }
    const sp = sarimaxModel.forecast(fitted, inputs, HORIZON, { paths: PATHS, seed: 20250707 })
    const ms = performance.now() - t0
    const cu = process.cpuUsage(c0)
    wall.push(ms)
    cpu.push((cu.user + cu.system) / 1000)
    const d = fitted.diagnostics
    if (!d.converged) failures++
    let total = 0
    for (let i = 0; i < sp.values.length; i++) total += sp.values[i]!
    const actual = lowerBound(times, origin + WEEK_MS) - lowerBound(times, origin)
    details.push({
      origin: new Date(origin).toISOString(),
      wallMs: Math.round(ms),
      cpuMs: Math.round((cu.user + cu.system) / 1000),
      converged: d.converged,
      reason: d.reason,
      iterations: d.iterations,
      evaluations: d.evaluations,
      gradNorm: d.gradNorm,
      loglik: d.loglik,
      params: Object.fromEntries(fitted.params.names.map((nm, i) => [nm, fitted.params.values[i]])),
      meanWeekTotal: Math.round(total / PATHS),
      actualWeekTotal: actual
    })
  }

  // One profile log-likelihood evaluation (Kalman filter, 1,344 points, 6 columns) at the last origin's MLE.
  const inputs = inputsAt(ORIGINS[ORIGINS.length - 1]!)
  const fitted = sarimaxModel.fit(inputs, spec)
  const o = orderOf(spec)
  const y = Float64Array.from(inputs.hourly.counts, (c) => transformCount(c, spec.transform))
  const regs = buildRegressors(inputs.hourly.start, TRAIN_HOURS, spec.fourierHarmonics, undefined)
  const fd = filterData(y, spec.trend, 1, regs.values, regs.names.length)
  const psi = fitted.params.values.slice(1 + regs.names.length, -1)
  const loglikMs = await medianMs(() => profileLoglik(filterAt(o, fd, psi)!), 51, 10)

  return {
    targets: [
      atMost("fit_plus_2000x168_forecast_median_wall", median(wall) / 1000, "s", 1),
      report("fit_plus_forecast_median_cpu", median(cpu) / 1000, "s"),
      report("fit_plus_forecast_max_wall", Math.max(...wall) / 1000, "s"),
      atMost("convergence_failures_of_25_dev_origins", failures, "origins", 0),
      report("loglik_evaluation_1344_points", loglikMs, "ms"),
      report("peak_rss", peakRssMiB(), "MiB")
    ],
    notes: [
      "Model: SARIMAX(1,0,1)(1,0,1,24), trend c, log1p counts, weekly Fourier K=2 (hour of week), 1,344 training hours per origin.",
      "Fit = Hannan-Rissanen start + L-BFGS on the profile likelihood (adjoint gradient) + numerical-Hessian SEs; forecast = re-filter + 2000 paths x 168 h.",
      "statsmodels reference (issue 10): median 7.8-9.9 s per origin, 2 of 25 origins not converged.",
      "Wall time on a shared 2-core machine includes time waiting for a core; cpu time is this process's user+system time."
    ],
    details: { origins: details }
  }
}
