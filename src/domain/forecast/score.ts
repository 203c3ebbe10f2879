/**
 * Scoring an issued forecast once its window has ended: the actual window total against the recorded
 * Monte Carlo distribution of the total (observed part + simulated rest, one value per path), with the
 * project's one set of metric functions (src/domain/metrics).
 */
import { crpsSorted } from "../metrics/crps"
import { centralInterval, inside } from "../metrics/interval"
import { logScoreFromSamples } from "../metrics/log-score"
import { randomizedPit } from "../metrics/pit"

export interface ForecastScore {
  readonly actual: number
  readonly crps: number
  /** −log p̂(actual), nats, smoothed sample pmf (src/domain/metrics/log-score.ts). */
  readonly logScore: number
  /** Randomised PIT with the uniform `v` given. */
  readonly pit: number
  readonly inside50: boolean
  readonly inside80: boolean
  readonly inside95: boolean
}

/** `totalsSorted`: the window total of every path, ascending; `v`: the PIT's uniform in [0, 1). */
export const scoreWindowTotal = (totalsSorted: ArrayLike<number>, actual: number, v: number): ForecastScore => {
  for (let i = 1; i < totalsSorted.length; i++) if (totalsSorted[i]! < totalsSorted[i - 1]!) throw new RangeError("totals must be sorted ascending")
  return {
    actual,
    crps: crpsSorted(totalsSorted, actual),
    logScore: logScoreFromSamples(totalsSorted, actual),
    pit: randomizedPit(totalsSorted, actual, v),
    inside50: inside(centralInterval(totalsSorted, 0.5), actual),
    inside80: inside(centralInterval(totalsSorted, 0.8), actual),
    inside95: inside(centralInterval(totalsSorted, 0.95), actual)
  }
}
