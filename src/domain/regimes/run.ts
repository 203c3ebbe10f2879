/**
 * Running the detectors on a record: the complete UTC days of a sorted list of tweet instants, and
 * every detection of the chosen detector(s) with their default settings, in the order they became
 * knowable (what `regimes detect` records).
 */
import { DAY_MS, dayFloor, toIsoUtc } from "../time"
import { bocpd, DEFAULT_BOCPD } from "./bocpd"
import { dailyCountsFromInstants, type DailySeries } from "./daily"
import { DEFAULT_ROLLING_VARIANCE, rollingVariance } from "./rolling-variance"
import type { DetectorChoice, RegimeDetection, RegimeDetector } from "./types"

const detectorsOf = (choice: DetectorChoice): ReadonlyArray<RegimeDetector> =>
  choice === "both" ? ["bocpd", "rolling_variance"] : [choice]

/** Complete UTC days of the record: [day of the first tweet, day of the newest tweet). */
export const completeDays = (tweetTimes: ArrayLike<number>): DailySeries | undefined => {
  if (tweetTimes.length === 0) return undefined
  const first = dayFloor(tweetTimes[0]!)
  const days = (dayFloor(tweetTimes[tweetTimes.length - 1]!) - first) / DAY_MS
  return days > 0 ? dailyCountsFromInstants(tweetTimes, first, days) : undefined
}

/** Every detection of the chosen detectors with default settings, in the order they became knowable. */
export const runDetectors = (
  series: DailySeries,
  choice: DetectorChoice
): ReadonlyArray<{ readonly detection: RegimeDetection; readonly settings: Record<string, unknown> }> => {
  const seriesStart = toIsoUtc(series.start)
  const out: Array<{ detection: RegimeDetection; settings: Record<string, unknown> }> = []
  for (const detector of detectorsOf(choice)) {
    if (detector === "bocpd") {
      const settings = { ...DEFAULT_BOCPD, seriesStart }
      for (const d of bocpd(series).detections) out.push({ detection: d, settings })
    } else {
      const settings = { ...DEFAULT_ROLLING_VARIANCE, seriesStart }
      for (const d of rollingVariance(series).detections) out.push({ detection: d, settings })
    }
  }
  return out.sort(
    (a, b) =>
      a.detection.detectedAt - b.detection.detectedAt ||
      (a.detection.detector < b.detection.detector ? -1 : a.detection.detector > b.detection.detector ? 1 : 0) ||
      a.detection.dayStart - b.detection.dayStart
  )
}
