/**
 * The forecast computation itself, pure: each member simulates its share of the paths from its fitted
 * parameters and as-of inputs with its own seed, the shares are pooled (src/domain/forecast/pool.ts),
 * and the pooled paths are summarised over the window. Issuing and `forecast reproduce` both call this,
 * so a reproduction differs only if an input differs.
 */
import type { FittedModel, ModelInputs, ModelKind, SamplePaths } from "../models/model"
import { TOTAL_QUANTILES } from "../models/model"
import { modelEntry } from "../models/registry"
import { Rng } from "../random"
import { toIsoUtc } from "../time"
import type { ForecastResult } from "../events/forecast"
import { bracketProbabilities, type Bracket } from "./brackets"
import type { ForecastPlan } from "./plan"
import { assignPaths, combinePaths } from "./pool"
import { compactSample } from "./sample"
import { summarizeWindow, windowTotalsSorted, type WindowSummary } from "./summary"

export interface MemberRun {
  readonly kind: ModelKind
  readonly fitted: FittedModel
  /** As-of inputs ending at the plan's origin, with exogenous intensities through the window's end. */
  readonly inputs: ModelInputs
  readonly seed: number
  readonly weight: number
}

export interface ForecastRun {
  readonly plan: ForecastPlan
  readonly members: ReadonlyArray<MemberRun>
  readonly paths: number
  /** Seed of the pool's member choice (unused for a single member). */
  readonly poolSeed: number
  /** Observed counts per hour of [window start, origin). */
  readonly observedHourly: ArrayLike<number>
  readonly brackets?: ReadonlyArray<Bracket>
}

export interface ForecastOutcome {
  readonly summary: WindowSummary
  /** Paths simulated by each member, in member order. */
  readonly memberPaths: ReadonlyArray<number>
  readonly result: ForecastResult
}

export const runForecast = (run: ForecastRun): ForecastOutcome => {
  const { plan, members, paths } = run
  if (members.length === 0) throw new RangeError("a forecast needs at least one model")
  for (const m of members)
    if (m.inputs.origin !== plan.origin) throw new RangeError(`${m.kind}: inputs end at ${toIsoUtc(m.inputs.origin)}, not at the origin ${toIsoUtc(plan.origin)}`)
  const simulate = (m: MemberRun, n: number): SamplePaths =>
    modelEntry(m.kind).model.forecast(m.fitted, m.inputs, plan.simulateHours, { paths: n, seed: m.seed })
  let pooled: SamplePaths
  let memberPaths: number[]
  if (members.length === 1) {
    pooled = simulate(members[0]!, paths)
    memberPaths = [paths]
  } else {
    const assignment = assignPaths(members.map((m) => m.weight), paths, Rng.seeded(run.poolSeed))
    const sims = members.map((m, i) => (assignment.counts[i]! > 0 ? simulate(m, assignment.counts[i]!) : undefined))
    pooled = combinePaths(assignment, sims)
    memberPaths = [...assignment.counts]
  }
  for (let k = 0; k < pooled.values.length; k++)
    if (!Number.isFinite(pooled.values[k]!)) throw new RangeError(`a simulated path holds a non-finite count (${pooled.values[k]})`)
  const summary = summarizeWindow(pooled, plan, run.observedHourly)
  return { summary, memberPaths, result: forecastResult(summary, run.brackets) }
}

/** The event's result block from a window summary (and the bracket probabilities when asked). */
export const forecastResult = (s: WindowSummary, brackets?: ReadonlyArray<Bracket>): ForecastResult => {
  const dist = (d: WindowSummary["total"]) => ({ mean: d.mean, quantiles: TOTAL_QUANTILES.map((level, i) => ({ level, value: d.quantiles[i]! })) })
  return {
    observed: { count: s.observed, hours: s.observedHours },
    hourly: {
      start: toIsoUtc(s.hourly.start),
      mean: Array.from(s.hourly.mean),
      q10: Array.from(s.hourly.quantiles[0]!),
      q50: Array.from(s.hourly.quantiles[1]!),
      q90: Array.from(s.hourly.quantiles[2]!)
    },
    days: s.days.map((d) => ({
      start: toIsoUtc(d.start),
      end: toIsoUtc(d.end),
      observed: d.observed,
      mean: d.mean,
      q10: d.quantiles[0]!,
      q50: d.quantiles[1]!,
      q90: d.quantiles[2]!
    })),
    total: dist(s.total),
    remaining: dist(s.remaining),
    ...(brackets !== undefined && {
      brackets: bracketProbabilities(brackets, windowTotalsSorted(s)).map((b) => ({ label: b.label, lo: b.lo, hi: b.hi, count: b.count, probability: b.probability }))
    }),
    sample: compactSample(s.remainingSorted)
  }
}
