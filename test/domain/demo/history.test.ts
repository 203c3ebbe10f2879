import { describe, expect, it } from "vitest"
import { DEMO_ALPHA, DEMO_EARLY_LEVEL, DEMO_MU, demoHistory } from "../../../src/domain/demo/history"
import { snowflakeTimeMs } from "../../../src/domain/ingestion/tweet-id"
import { HOUR_MS } from "../../../src/domain/time"

describe("demo history", () => {
  const end = Date.UTC(2026, 0, 5)
  const weeks = 10
  const tweets = demoHistory(end, weeks, 7)

  it("is deterministic for a seed and different for another", () => {
    expect(demoHistory(end, weeks, 7)).toEqual(tweets)
    expect(demoHistory(end, weeks, 8).length).not.toBe(tweets.length)
  })

  it("stays inside the window, ascending, with unique Snowflake ids that decode to the creation instant", () => {
    const start = end - weeks * 168 * HOUR_MS
    expect(tweets.every((t) => t.createdAtMs >= start && t.createdAtMs < end)).toBe(true)
    for (let i = 1; i < tweets.length; i++) expect(tweets[i]!.createdAtMs).toBeGreaterThanOrEqual(tweets[i - 1]!.createdAtMs)
    expect(new Set(tweets.map((t) => t.id)).size).toBe(tweets.length)
    expect(tweets.every((t) => snowflakeTimeMs(t.id) === t.createdAtMs)).toBe(true)
  })

  it("has the calibrated volume: stationary mean Σμ/(1−α) per hour, lower in the early regime", () => {
    const perDay = (DEMO_MU.reduce((a, b) => a + b, 0) / (1 - DEMO_ALPHA))
    const expected = perDay * 7 * weeks * (0.4 * DEMO_EARLY_LEVEL + 0.6)
    // Self-excitation makes counts overdispersed: allow a wide but finite band.
    expect(tweets.length).toBeGreaterThan(expected * 0.7)
    expect(tweets.length).toBeLessThan(expected * 1.3)
    const split = end - 0.6 * weeks * 168 * HOUR_MS
    const early = tweets.filter((t) => t.createdAtMs < split).length / (0.4 * weeks)
    const late = tweets.filter((t) => t.createdAtMs >= split).length / (0.6 * weeks)
    expect(early).toBeLessThan(late)
  })

  it("gives replies, quotes and reposts a referenced id and posts none", () => {
    expect(tweets.filter((t) => t.kind === "post").every((t) => t.referencedId === undefined)).toBe(true)
    expect(tweets.filter((t) => t.kind !== "post").every((t) => t.referencedId !== undefined)).toBe(true)
  })
})
