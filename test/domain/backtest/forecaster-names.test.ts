/** How a recorded forecast is named in listings and running scores: as backtests name forecasters. */
import { describe, expect, it } from "vitest"
import { forecasterOf } from "../../../src/domain/backtest/derived"

describe("forecasterOf", () => {
  it("names a recalibrated forecast <model>+cal, as backtests name the forecaster; an ensemble and a raw model keep their name", () => {
    expect(forecasterOf("ewma_level", true)).toBe("ewma_level+cal")
    expect(forecasterOf("ewma_level", false)).toBe("ewma_level")
    expect(forecasterOf("ensemble", true)).toBe("ensemble")
  })
})
