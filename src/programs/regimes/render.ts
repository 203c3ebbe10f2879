/** How `regimes detect` and `regimes list` print detections: table cells and JSON objects. */
import type { RegimeShiftDetectedData } from "../../domain/events/regime"
import { toIsoUtc } from "../../domain/time"

export const day = (iso: string | number): string => (typeof iso === "number" ? toIsoUtc(iso) : iso).slice(0, 10)
const ratio = (before: number, after: number): string => (before > 0 ? `${(after / before).toFixed(2)}×` : "n/a")

export const shiftJson = (d: RegimeShiftDetectedData, extra: Record<string, unknown>) => ({
  account: d.account,
  detector: d.detector,
  at: d.at,
  detected_at: d.detectedAt,
  probability: d.probability,
  run_length: d.runLength === null ? null : { map: d.runLength.map, mean: d.runLength.mean, p_short: d.runLength.pShort },
  level_before: d.levelBefore,
  level_after: d.levelAfter,
  ...extra
})

export const SHIFT_HEADER = ["detector", "regime start", "detected at", "probability", "run length (map/mean)", "posts/day before", "after", "change"]

export const shiftCells = (d: RegimeShiftDetectedData): Array<string | number> => [
  d.detector,
  day(d.at),
  day(d.detectedAt),
  d.probability,
  d.runLength === null ? "-" : `${d.runLength.map} / ${d.runLength.mean.toFixed(1)}`,
  d.levelBefore,
  d.levelAfter,
  ratio(d.levelBefore, d.levelAfter)
]
