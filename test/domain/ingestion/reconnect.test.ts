import { describe, expect, it } from "vitest"
import { reconnectDelayMs } from "../../../src/domain/ingestion/reconnect"

describe("filtered stream reconnect back-off (X's documented policy)", () => {
  it("network errors: linear from 250 ms, capped at 16 s", () => {
    expect([1, 2, 3, 4].map((n) => reconnectDelayMs("network", n))).toEqual([250, 500, 750, 1000])
    expect(reconnectDelayMs("network", 64)).toBe(16_000)
    expect(reconnectDelayMs("network", 1_000)).toBe(16_000)
  })
  it("HTTP errors: exponential from 5 s, capped at 320 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => reconnectDelayMs("http", n))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000])
  })
  it("429: exponential from one minute", () => {
    expect([1, 2, 3].map((n) => reconnectDelayMs("rate-limited", n))).toEqual([60_000, 120_000, 240_000])
    expect(reconnectDelayMs("rate-limited", 20)).toBe(960_000)
  })
  it("scales every delay alike, and treats attempt 0 as the first", () => {
    expect(reconnectDelayMs("http", 2, 0.001)).toBeCloseTo(10)
    expect(reconnectDelayMs("network", 0)).toBe(250)
  })
})
