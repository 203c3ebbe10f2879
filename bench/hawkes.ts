/**
 * Hawkes benchmark on the whole shared data set (periodic hour-of-day baseline):
 * one log-likelihood + gradient evaluation, a three-start MLE fit, 2000 one-week forecast paths.
 * Reference (NumPy, same machine class): 22–37 ms per evaluation, ~3.4 s per three-start fit, α = 0.796, β = 9.79/h.
 */
import { hawkesDataFromEpochMs, hawkesExpectedCounts, hawkesModel, type HawkesFitted } from "../src/domain/models/hawkes/index"
import { likelihoodScratch, logLikelihoodBins } from "../src/domain/models/hawkes/likelihood"
import { summarizePaths, type ModelInputs } from "../src/domain/models/model"
import { HOUR_MS, bucketHourly } from "../src/domain/time"
import { loadTweetTimes } from "./data"
import { loadavg } from "node:os"
import { performance } from "node:perf_hooks"
import { atMost, peakRssMiB, report, timeMs, type BenchResult } from "./lib"

const WINDOW_START = Date.parse("2022-11-01T00:00:00Z")
const WINDOW_END = Date.parse("2026-01-01T00:00:00Z")

/**
 * Median wall and median CPU milliseconds of `fn` over `runs` timed calls after `warmup` untimed ones.
 * CPU time is reported beside the wall time because the benchmark machine is shared: when other jobs
 * load it, wall time grows while CPU time does not.
 */
const medianWallCpu = (fn: () => unknown, runs: number, warmup: number): { wall: number; cpu: number } => {
  for (let i = 0; i < warmup; i++) fn()
  const walls: number[] = []
  const cpus: number[] = []
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    fn()
    walls.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpus.push((c.user + c.system) / 1000)
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  return { wall: med(walls), cpu: med(cpus) }
}

const fmtLoad = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ")

export default async function run(): Promise<BenchResult> {
  const loadAtStart = fmtLoad()
  const eventTimes = loadTweetTimes().filter((t) => t >= WINDOW_START && t < WINDOW_END)
  const hours = (WINDOW_END - WINDOW_START) / HOUR_MS
  const inputs: ModelInputs = { origin: WINDOW_END, hourly: { start: WINDOW_START, counts: bucketHourly(eventTimes, WINDOW_START, hours) }, eventTimes }
  const spec = { baseline: "hour_of_day" } as const

  // Three-start fit (data preparation, L-BFGS × 3, Newton polish, standard errors, residuals): median of 5.
  let fitted: HawkesFitted = hawkesModel.fit(inputs, spec)
  const fitMs = medianWallCpu(() => (fitted = hawkesModel.fit(inputs, spec)), 7, 1)
  const d = fitted.diagnostics
  const bestLl = d.logLik
  const sameOptimum = d.starts.every((s) => Math.abs(s.logLik - bestLl) < 1e-3 && Math.abs(s.beta - fitted.params.beta) / fitted.params.beta < 1e-3)

  // One log-likelihood + gradient evaluation at the optimum, as the optimiser calls it (no allocation).
  const data = hawkesDataFromEpochMs("hour_of_day", WINDOW_START, WINDOW_END, eventTimes)
  const rates = Float64Array.from(fitted.params.mu)
  const grad = new Float64Array(27)
  const scratch = likelihoodScratch(24)
  const evalMs = medianWallCpu(() => logLikelihoodBins(data, rates, fitted.params.alpha, fitted.params.beta, 0, grad, scratch), 101, 20)
  const prepMs = medianWallCpu(() => hawkesDataFromEpochMs("hour_of_day", WINDOW_START, WINDOW_END, eventTimes), 7, 1)

  // 2000 one-week paths from the end of the data, conditioned on the whole history: median of 5.
  let seed = 1
  const forecastMs = medianWallCpu(() => hawkesModel.forecast(fitted, inputs, 168, { paths: 2000, seed: seed++ }), 7, 1)
  const paths = hawkesModel.forecast(fitted, inputs, 168, { paths: 2000, seed: 2026 })
  const summary = summarizePaths(paths)
  const exact = await timeMs(() => hawkesExpectedCounts(fitted, inputs, 168))
  const exactTotal = exact.value.reduce((a, b) => a + b, 0)

  return {
    targets: [
      atMost("loglik_gradient_eval_ms", evalMs.wall, "ms", 5),
      atMost("fit_three_starts_ms", fitMs.wall, "ms", 300),
      atMost("forecast_2000_paths_168h_ms", forecastMs.wall, "ms", 200),
      report("loglik_gradient_eval_cpu_ms", evalMs.cpu, "ms"),
      report("fit_three_starts_cpu_ms", fitMs.cpu, "ms"),
      report("forecast_2000_paths_168h_cpu_ms", forecastMs.cpu, "ms"),
      report("data_preparation_ms", prepMs.wall, "ms"),
      report("fitted_alpha", fitted.params.alpha, ""),
      report("fitted_beta_per_hour", fitted.params.beta, "1/h"),
      report("starts_reach_same_optimum", sameOptimum ? 1 : 0, "bool"),
      report("peak_rss_mib", peakRssMiB(), "MiB")
    ],
    notes: [
      `${eventTimes.length} events over ${hours} hours (${new Date(WINDOW_START).toISOString()} .. ${new Date(WINDOW_END).toISOString()}), hour-of-day baseline (26 parameters).`,
      "fit_three_starts_ms: hawkesModel.fit end to end (data prep, 3 L-BFGS starts beta0 = 0.3/3/30 per hour, Newton polish with the analytic Hessian, observed-information SEs, time-rescaling KS); median of 7 after 1 warm-up.",
      "loglik_gradient_eval_ms: logLikelihoodBins with gradient at the optimum, the call the optimiser makes; median of 101 after 20 warm-ups.",
      "forecast: Ogata thinning, 2000 paths x 168 h from 2026-01-01T00:00Z; median of 7 (seeds 2..8 after a warm-up).",
      "The machine is shared with other jobs: *_cpu_ms (process CPU time, median) shows the cost without contention; the targets are on wall time.",
      `load average (1/5/15 min) at start: ${loadAtStart}, at end: ${fmtLoad()}`
    ],
    details: {
      logLik: bestLl,
      alpha: fitted.params.alpha,
      beta: fitted.params.beta,
      halfLifeMinutes: d.halfLifeHours * 60,
      standardErrors: d.standardErrors && { alpha: d.standardErrors.alpha, beta: d.standardErrors.beta },
      starts: d.starts,
      newtonSteps: d.newtonSteps,
      gradNorm: d.gradNorm,
      reason: d.reason,
      timeRescaling: d.timeRescaling,
      forecastTotalMean: summary.totalMean,
      forecastTotalQuantiles: summary.totalQuantiles,
      exactExpectedTotal: exactTotal,
      exactExpectedMs: exact.ms
    }
  }
}
