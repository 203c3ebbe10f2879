/**
 * A forecast from its prepared members (pure; shared by issuing and reproducing): run the members on
 * the knowledge as of the origin, and the ForecastIssued payload that records it.
 */
import type { TweetKind as CountKind } from "../events/tweet"
import type { EnsembleFit, ForecastIssuedData } from "../events/forecast"
import { asOf, type Knowledge } from "../features/asof"
import type { ModelKind } from "../models/model"
import { toIsoUtc } from "../time"
import type { Bracket } from "./brackets"
import { poolSeed, type PreparedMember } from "./members"
import { observedHourly, type ForecastPlan } from "./plan"
import { runForecast, type ForecastOutcome } from "./run"

/** What a forecast was asked for: a model kind, the ensemble, or the best by the reference backtest. */
export type RequestedModel = ModelKind | "ensemble" | "best"

/** The ForecastIssued payload of a computed forecast (shared with reproduce, which rebuilds it). */
export const assembleIssued = (a: {
  readonly forecastId: string
  readonly account: string
  readonly model: ForecastIssuedData["model"]
  readonly requested: RequestedModel
  readonly prepared: ReadonlyArray<PreparedMember>
  readonly outcome: ForecastOutcome
  readonly ensemble: EnsembleFit | undefined
  readonly plan: ForecastPlan
  readonly horizon: string | undefined
  readonly watermark: bigint
  readonly countKinds: ReadonlyArray<CountKind>
  readonly seed: number
  readonly paths: number
  readonly codeVersion: string
  readonly notes: ReadonlyArray<string>
  readonly calibration?: ForecastIssuedData["calibration"]
}): ForecastIssuedData => ({
  forecastId: a.forecastId,
  account: a.account,
  model: a.model,
  requested: a.requested,
  members: a.prepared.map((p, i) => ({ ...p.record, paths: a.outcome.memberPaths[i]! })),
  ...(a.ensemble !== undefined && { ensemble: a.ensemble }),
  origin: toIsoUtc(a.plan.origin),
  window: { start: toIsoUtc(a.plan.window.start), end: toIsoUtc(a.plan.window.end) },
  ...(a.horizon !== undefined && { horizon: a.horizon }),
  watermark: a.watermark.toString(),
  countKinds: [...a.countKinds],
  seed: a.seed,
  paths: a.paths,
  codeVersion: a.codeVersion,
  result: a.outcome.result,
  ...(a.calibration !== undefined && { calibration: a.calibration }),
  notes: [...a.notes]
})

/** Runs the members on the knowledge (pure part, shared with reproduce). */
export const computeForecast = (
  knowledge: Knowledge,
  plan: ForecastPlan,
  prepared: ReadonlyArray<PreparedMember>,
  o: { readonly paths: number; readonly seed: number; readonly brackets?: ReadonlyArray<Bracket> }
): ForecastOutcome =>
  runForecast({
    plan,
    members: prepared.map((p) => p.run),
    paths: o.paths,
    poolSeed: poolSeed(o.seed),
    observedHourly: observedHourly(plan, asOf(knowledge, plan.origin).tweetTimes),
    ...(o.brackets !== undefined && { brackets: o.brackets })
  })

