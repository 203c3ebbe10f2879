import { describe, expect, it } from "vitest"
import { devOrigins, latestFitOrigin, latestOrigins, parseOriginRange } from "../../../src/domain/backtest/origins"
import { deriveSeed } from "../../../src/domain/backtest/seed"
import { MAX_REGIME_WEEKS, MIN_REGIME_WEEKS, parseTrainWindow, trainHoursAt } from "../../../src/domain/backtest/train-window"
import { DAY_MS, HOUR_MS, WEEK_MS, dayOfWeek, toIsoUtc } from "../../../src/domain/time"

const monday = Date.UTC(2025, 8, 1) // 2025-09-01, a Monday

describe("origins", () => {
  it("the development set is every Monday 00:00 UTC from 2025-07-07 to 2025-12-22", () => {
    const o = devOrigins()
    expect(o).toHaveLength(25)
    expect(o.every((t) => dayOfWeek(t) === 0 && t % DAY_MS === 0)).toBe(true)
    expect(o.slice(1).every((t, i) => t - o[i]! === WEEK_MS)).toBe(true)
  })

  it("parses FROM..TO into the Mondays inside it, and explains bad ranges", () => {
    expect((parseOriginRange("2025-09-01..2025-09-15") as number[]).map(toIsoUtc)).toEqual([
      "2025-09-01T00:00:00Z",
      "2025-09-08T00:00:00Z",
      "2025-09-15T00:00:00Z"
    ])
    expect((parseOriginRange("2025-09-02..2025-09-09") as number[]).map(toIsoUtc)).toEqual(["2025-09-08T00:00:00Z"])
    expect(parseOriginRange("2025-09-15..2025-09-01")).toMatch(/reversed/)
    expect(parseOriginRange("2025-09-02..2025-09-04")).toMatch(/no Monday/)
    expect(parseOriginRange("yesterday..today")).toMatch(/not a date/)
    expect(parseOriginRange("2025-09-01")).toMatch(/must look like/)
  })

  it("latest origins are the Mondays whose whole week is observed", () => {
    // Data up to Wednesday 2025-09-10 12:00: the week from 2025-09-08 is incomplete, 2025-09-01 is the last.
    const end = Date.UTC(2025, 8, 10, 12)
    expect(latestOrigins(end, 3).map(toIsoUtc)).toEqual(["2025-08-18T00:00:00Z", "2025-08-25T00:00:00Z", "2025-09-01T00:00:00Z"])
    // Exactly at the end of a week, that week counts.
    expect(latestOrigins(Date.UTC(2025, 8, 8), 1).map(toIsoUtc)).toEqual(["2025-09-01T00:00:00Z"])
  })
})

describe("training windows", () => {
  it("parses <weeks>w and since-regime, refusing windows too short for the weekly baseline", () => {
    expect(parseTrainWindow("8w")).toEqual({ _tag: "Weeks", weeks: 8 })
    expect(parseTrainWindow("since-regime")).toEqual({ _tag: "SinceRegime" })
    expect(parseTrainWindow("1w")).toMatch(/at least 2 weeks/)
    expect(parseTrainWindow("8 weeks")).toMatch(/<weeks>w/)
  })

  it("since-regime starts at the latest regime known before the origin, clamped, else 8 weeks", () => {
    const w = { _tag: "SinceRegime" } as const
    expect(trainHoursAt(w, monday, [])).toBe(8 * 168)
    // A regime 5 weeks back, detected 1 week after it started: 5 weeks of training.
    const r5 = { at: monday - 5 * WEEK_MS, regimeId: "a", knownAt: monday - 4 * WEEK_MS }
    expect(trainHoursAt(w, monday, [r5])).toBe(5 * 168)
    // A later regime detected only after the origin is not known yet: still the 5-week one.
    const late = { at: monday - 3 * DAY_MS, regimeId: "b", knownAt: monday + HOUR_MS }
    expect(trainHoursAt(w, monday, [r5, late])).toBe(5 * 168)
    // Too recent a regime is clamped up, too old a one down.
    const recent = { at: monday - 2 * DAY_MS, regimeId: "c", knownAt: monday - DAY_MS }
    expect(trainHoursAt(w, monday, [r5, recent])).toBe(MIN_REGIME_WEEKS * 168)
    const old = { at: monday - 60 * WEEK_MS, regimeId: "d", knownAt: monday - 59 * WEEK_MS }
    expect(trainHoursAt(w, monday, [old])).toBe(MAX_REGIME_WEEKS * 168)
    expect(trainHoursAt({ _tag: "Weeks", weeks: 3 }, monday, [r5])).toBe(3 * 168)
  })
})

describe("per-task seeds", () => {
  it("depend on every part, in order, and nothing else", () => {
    const a = deriveSeed(42, "hawkes", monday)
    expect(deriveSeed(42, "hawkes", monday)).toBe(a)
    expect(deriveSeed(43, "hawkes", monday)).not.toBe(a)
    expect(deriveSeed(42, "sarimax", monday)).not.toBe(a)
    expect(deriveSeed(42, "hawkes", monday + WEEK_MS)).not.toBe(a)
    expect(Number.isInteger(a) && a >= 0 && a < 2 ** 32).toBe(true)
  })
})

describe("the latest origin", () => {
  it("is the hour after the newest tweet's hour, but never an hour still running", () => {
    const last = Date.parse("2025-12-31T23:59:30Z")
    expect(toIsoUtc(latestFitOrigin(last, Date.parse("2026-06-01T00:00:00Z")))).toBe("2026-01-01T00:00:00Z")
    // Live data: the newest tweet is in the current hour, which is incomplete.
    expect(toIsoUtc(latestFitOrigin(Date.parse("2026-06-01T10:20:00Z"), Date.parse("2026-06-01T10:40:00Z")))).toBe("2026-06-01T10:00:00Z")
  })
})
