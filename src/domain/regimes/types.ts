/** What both regime detectors report. */

export type RegimeDetector = "bocpd" | "rolling_variance"

/** What `regimes detect|list --detector` takes: one detector or both. */
export const DETECTOR_CHOICES = ["bocpd", "rolling_variance", "both"] as const
export type DetectorChoice = (typeof DETECTOR_CHOICES)[number]

/** Summary of the run-length posterior P(r | days ≤ last observed day), r = days in the current regime. */
export interface RunLengthSummary {
  /** Most probable run length (days). */
  readonly map: number
  /** Posterior mean run length (days). */
  readonly mean: number
  /** P(r < 7): the current regime began within the last 6 days. */
  readonly pShort: number
}

export interface RegimeDetection {
  readonly detector: RegimeDetector
  /** 00:00 UTC (epoch ms) of the first day of the new regime, as estimated at detection time. */
  readonly dayStart: number
  /** 00:00 UTC (epoch ms) of the day after the last day used: the detection is knowable from this instant on. */
  readonly detectedAt: number
  /**
   * bocpd: posterior probability that the regime began within the detection window.
   * rolling_variance: 2Φ(|z|) − 1, the Gaussian confidence of the shift statistic (not a posterior).
   */
  readonly probability: number
  /** bocpd only. */
  readonly runLength: RunLengthSummary | null
  /** Mean daily count before dayStart (window defined by the detector). */
  readonly levelBefore: number
  /** Mean daily count from dayStart through the last day used. */
  readonly levelAfter: number
}
