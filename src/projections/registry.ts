/**
 * Every projection MuskTracker maintains, one line each. `projections status|rebuild|verify` and
 * `catchUpProjections` (src/programs/catch-up.ts) work on this list. To add one: define it (see projection.ts), add its tables by a
 * migration, and add its line here.
 */
import { dailyCountsProjection, hourlyCountsProjection } from "./counts"
import { exogenousProjection } from "./exogenous"
import { forecastsProjection } from "./forecasts"
import { ingestionRunsProjection } from "./ingestion-runs"
import { backtestsProjection } from "./backtests"
import { modelsProjection } from "./models"
import { regimesProjection } from "./regimes"
import type { Projection } from "./projection"
import { tweetsProjection } from "./tweets"

export const projections: ReadonlyArray<Projection> = [
  tweetsProjection,
  hourlyCountsProjection,
  dailyCountsProjection,
  exogenousProjection,
  regimesProjection,
  backtestsProjection,
  modelsProjection,
  forecastsProjection,
  ingestionRunsProjection
]

export const projectionNames = (): ReadonlyArray<string> => projections.map((p) => p.name)

export const findProjection = (name: string): Projection | undefined => projections.find((p) => p.name === name)
