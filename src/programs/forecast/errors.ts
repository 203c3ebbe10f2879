import { UUID_PATTERN } from "../../domain/uuid"
import { Data } from "effect"

/** No ForecastIssued with this id in the log / read model (exit 1). */
export class ForecastNotFound extends Data.TaggedError("ForecastNotFound")<{ readonly forecastId: string }> {
  override get message(): string {
    return `no forecast with id ${this.forecastId}`
  }
}

/** `forecast reproduce` found differences (exit 1; they were printed first). */
export class ReproductionDiffers extends Data.TaggedError("ReproductionDiffers")<{ readonly forecastId: string; readonly differences: number }> {
  override get message(): string {
    return `forecast ${this.forecastId} did not reproduce: ${this.differences} difference${this.differences === 1 ? "" : "s"}`
  }
}

export const FORECAST_ID = UUID_PATTERN
