/**
 * `forecast reproduce ID`: recompute a forecast from the log — not from the read models — and report
 * every difference from what was recorded.
 *
 * It replays the log up to the forecast's watermark (`loadKnowledge({ until })`), reads each member's
 * ModelFitted from its stream, re-fits the ensemble weights from the backtest's own stream, rebuilds the
 * as-of inputs at the recorded origin, re-runs the simulation with the recorded seeds and numbers of
 * paths, and compares the whole recomputed ForecastIssued payload with the recorded one, number by
 * number (exactly). The code version is compared too but reported as a note: a different version is the
 * usual *reason* for a difference, not a difference of the forecast itself.
 */
import { LEGACY_ACCOUNT } from "../../domain/accounts/account"
import { Effect } from "effect"
import { codeVersion } from "../../adapters/code-version"
import type { Bracket } from "../../domain/forecast/brackets"
import { deepDiff, type Difference } from "../../domain/forecast/diff"
import { planForecast } from "../../domain/forecast/plan"
import type { ForecastIssuedData } from "../../domain/events/forecast"
import { parseInstant } from "../../domain/time"
import { loadKnowledge } from "../knowledge"
import { UsageError } from "../cli/usage-error"
import { ForecastNotFound, FORECAST_ID } from "./errors"
import { readModelFitted } from "./fits"
import { calibrateOutcome, pastPits } from "../../domain/forecast/calibrate"
import { assembleIssued, computeForecast } from "../../domain/forecast/assemble"
import { backtestPitsFromLog, backtestWindowsFromLog, readForecastStream } from "./log"
import { ensembleWeights, parseWindowIso, prepareMember, type PreparedMember } from "../../domain/forecast/members"

export interface Reproduction {
  readonly recorded: ForecastIssuedData
  readonly reproduced: ForecastIssuedData | undefined
  readonly differences: ReadonlyArray<Difference>
  /** Numbers and strings compared. */
  readonly compared: number
  readonly recordedCodeVersion: string
  readonly currentCodeVersion: string
  /** Tweets replayed (counted kinds, up to the watermark). */
  readonly tweets: number
  readonly replaySeconds: number
  readonly computeSeconds: number
}

const countLeaves = (v: unknown): number =>
  Array.isArray(v) ? v.reduce((s: number, x) => s + countLeaves(x), 0) : v !== null && typeof v === "object" ? Object.values(v).reduce((s: number, x) => s + countLeaves(x), 0) : 1

export const reproduceForecast = (forecastId: string) =>
  Effect.gen(function* () {
    if (!FORECAST_ID.test(forecastId)) return yield* new UsageError({ message: `"${forecastId}" is not a forecast id (a UUID such as 3f2a9c1e-...)` })
    const stream = yield* readForecastStream(forecastId)
    if (stream === undefined) return yield* new ForecastNotFound({ forecastId })
    const rec = stream.issued
    const fail = (differences: Difference[]): Reproduction => ({
      recorded: rec,
      reproduced: undefined,
      differences,
      compared: 0,
      recordedCodeVersion: rec.codeVersion,
      currentCodeVersion: codeVersion(),
      tweets: 0,
      replaySeconds: 0,
      computeSeconds: 0
    })

    const t0 = performance.now()
    const account = rec.account ?? LEGACY_ACCOUNT
    const loaded = yield* loadKnowledge({ until: BigInt(rec.watermark), kinds: rec.countKinds, account })
    const replaySeconds = (performance.now() - t0) / 1000
    const t1 = performance.now()
    const plan = planForecast(parseWindowIso(rec.window), parseInstant(rec.origin)!)
    if (typeof plan === "string") return fail([{ path: "window", recorded: rec.window, reproduced: plan }])

    // Members and weights: the ensemble's are re-fitted from the backtest's stream.
    let members: ReadonlyArray<{ kind: ForecastIssuedData["members"][number]["kind"]; weight: number }> = rec.members.map((m) => ({ kind: m.kind, weight: m.weight }))
    let ensemble = rec.ensemble
    if (rec.ensemble !== undefined) {
      const rows = yield* backtestWindowsFromLog(rec.ensemble.backtestId)
      const w = ensembleWeights(rec.ensemble.backtestId, rows)
      if (typeof w === "string") return fail([{ path: "ensemble", recorded: "weights fitted", reproduced: w }])
      ensemble = w.fit
      members = w.members
    }
    const prepared: PreparedMember[] = []
    for (const m of members) {
      const recordedMember = rec.members.find((x) => x.kind === m.kind)
      if (recordedMember === undefined) return fail([{ path: "members", recorded: rec.members.map((x) => x.kind), reproduced: members.map((x) => x.kind) }])
      const fit = yield* readModelFitted(recordedMember.modelId)
      if (fit === undefined) return fail([{ path: `members.${m.kind}.modelId`, recorded: recordedMember.modelId, reproduced: "no such ModelFitted in the log" }])
      const p = yield* Effect.try({
        try: () => prepareMember(loaded.knowledge, plan, fit, m.weight, rec.seed, recordedMember.refitted),
        catch: (e) => new Error(`cannot rebuild the ${m.kind} inputs: ${e instanceof Error ? e.message : String(e)}`)
      })
      prepared.push(p)
    }
    const brackets: ReadonlyArray<Bracket> | undefined = rec.result.brackets?.map((b) => ({ label: b.label, lo: b.lo, hi: b.hi }))
    const raw = yield* Effect.try({
      try: () => computeForecast(loaded.knowledge, plan, prepared, { paths: rec.paths, seed: rec.seed, ...(brackets !== undefined && { brackets }) }),
      catch: (e) => new Error(`re-running the forecast failed: ${e instanceof Error ? e.message : String(e)}`)
    })
    // A calibrated forecast: the same PITs, read again from the recorded backtest's stream.
    let outcome = raw
    let calibration: ForecastIssuedData["calibration"]
    if (rec.calibration !== undefined) {
      const model = rec.members[0]!.kind
      const pits = pastPits(yield* backtestPitsFromLog(rec.calibration.backtestId, model), plan.origin, rec.calibration.atDays)
      outcome = calibrateOutcome(raw, pits, brackets)
      calibration = { ...rec.calibration, windows: pits.length }
    }
    const reproduced = assembleIssued({
      forecastId: rec.forecastId,
      account,
      model: rec.model,
      requested: rec.requested,
      prepared,
      outcome,
      ensemble,
      plan,
      horizon: rec.horizon,
      watermark: BigInt(rec.watermark),
      countKinds: rec.countKinds,
      seed: rec.seed,
      paths: rec.paths,
      codeVersion: rec.codeVersion,
      notes: rec.notes,
      ...(calibration !== undefined && { calibration })
    })
    const computeSeconds = (performance.now() - t1) / 1000
    return {
      recorded: rec,
      reproduced,
      differences: deepDiff(rec, reproduced),
      compared: countLeaves(rec),
      recordedCodeVersion: rec.codeVersion,
      currentCodeVersion: codeVersion(),
      tweets: loaded.tweets,
      replaySeconds,
      computeSeconds
    } satisfies Reproduction
  })
