/**
 * Regime events. `RegimeShiftDetected`: a detector (src/domain/regimes) found that a new posting regime
 * began on day `at`; the fact became knowable at `detectedAt` (the detector used only days before it).
 * Stream `regime-<account>`. The id is UUID v5 of (account, detector, at, detectedAt), so re-running
 * `regimes detect` over the same data appends nothing new.
 */
import { Schema } from "effect"
import { defineEvent } from "./codec"
import { UtcInstant } from "./instant"
import { parseInstant, toIsoUtc, DAY_MS } from "../time"
import type { RegimeDetection } from "../regimes/types"

export const REGIME_CATEGORY = "regime"
export const regimeStream = (account: string): string => `${REGIME_CATEGORY}-${account}`

/** A UTC instant at 00:00 of its day. */
export const UtcDayStart = UtcInstant.pipe(
  Schema.filter((s) => parseInstant(s)! % DAY_MS === 0 || `expected 00:00 UTC of a day, got "${s}"`)
)

export const Probability = Schema.Number.pipe(Schema.between(0, 1))

export const RunLengthSummarySchema = Schema.Struct({
  /** Most probable run length in days (days of the current regime, the last observed day included). */
  map: Schema.Int.pipe(Schema.positive()),
  /** Posterior mean run length in days. */
  mean: Schema.Finite.pipe(Schema.nonNegative()),
  /** P(run length < 7 days). */
  pShort: Probability
})

export const RegimeDetectorSchema = Schema.Literal("bocpd", "rolling_variance")

export const RegimeShiftDetectedData = Schema.Struct({
  account: Schema.NonEmptyTrimmedString,
  detector: RegimeDetectorSchema,
  /** First day of the new regime (00:00 UTC). */
  at: UtcDayStart,
  /** 00:00 UTC of the day after the last day the detector used. */
  detectedAt: UtcDayStart,
  /** bocpd: posterior probability of a regime start in the detection window; rolling_variance: 2Φ(|z|) − 1. */
  probability: Probability,
  /** Run-length posterior summary at detection (bocpd only). */
  runLength: Schema.NullOr(RunLengthSummarySchema),
  /** Mean posts per day before / after `at`, as the detector measured them. */
  levelBefore: Schema.Finite.pipe(Schema.nonNegative()),
  levelAfter: Schema.Finite.pipe(Schema.nonNegative()),
  /** Detector settings used (hazard, likelihood, thresholds...), for reproduction. */
  settings: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
}).pipe(Schema.filter((d) => parseInstant(d.detectedAt)! > parseInstant(d.at)! || "detectedAt must be after the regime start"))
export type RegimeShiftDetectedData = typeof RegimeShiftDetectedData.Type

export const RegimeShiftDetected = defineEvent("RegimeShiftDetected", 1, RegimeShiftDetectedData, {
  stream: (d) => regimeStream(d.account),
  naturalKey: (d) => `regime-shift:${d.account}:${d.detector}:${d.at}@${d.detectedAt}`
})

/** A detector's result as an event payload. */
export const regimeShiftData = (account: string, d: RegimeDetection, settings?: Record<string, unknown>): RegimeShiftDetectedData => ({
  account,
  detector: d.detector,
  at: toIsoUtc(d.dayStart),
  detectedAt: toIsoUtc(d.detectedAt),
  probability: d.probability,
  runLength: d.runLength,
  levelBefore: d.levelBefore,
  levelAfter: d.levelAfter,
  ...(settings !== undefined ? { settings } : {})
})
