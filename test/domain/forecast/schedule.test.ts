import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseWindowSchedule, scheduledWindowAt, type WindowSchedule } from "../../../src/domain/forecast/schedule"

const HOUR = 3_600_000
const at = (iso: string) => Date.parse(iso)
const schedule = (raw: string): WindowSchedule => {
  const s = parseWindowSchedule(raw)
  if (typeof s === "string") throw new Error(s)
  return s
}

describe("calendar window schedules", () => {
  it("noon-to-noon US Eastern weeks from Friday, in winter time", () => {
    const s = schedule("Friday 12:00 America/New_York 7d")
    expect(s.label).toBe("fri 12:00 America/New_York 7d")
    // Wednesday 2025-12-03: the week began Friday 2025-11-28 at noon EST (17:00 UTC).
    expect(scheduledWindowAt(s, at("2025-12-03T15:00:00Z"))).toEqual({ start: at("2025-11-28T17:00:00Z"), end: at("2025-12-05T17:00:00Z") })
    // At the start instant itself, that window; one millisecond before, the previous one.
    expect(scheduledWindowAt(s, at("2025-12-05T17:00:00Z")).start).toBe(at("2025-12-05T17:00:00Z"))
    expect(scheduledWindowAt(s, at("2025-12-05T17:00:00Z") - 1).start).toBe(at("2025-11-28T17:00:00Z"))
  })

  it("a week across the spring change is 167 hours, across the autumn change 169", () => {
    const s = schedule("fri 12:00 America/New_York 7d")
    const spring = scheduledWindowAt(s, at("2025-03-10T12:00:00Z"))
    expect(spring).toEqual({ start: at("2025-03-07T17:00:00Z"), end: at("2025-03-14T16:00:00Z") })
    expect((spring.end - spring.start) / HOUR).toBe(167)
    const autumn = scheduledWindowAt(s, at("2025-11-03T12:00:00Z"))
    expect((autumn.end - autumn.start) / HOUR).toBe(169)
  })

  it("Monday 00:00 UTC, 7 days, is the protocol's week", () => {
    const s = schedule("mon 00:00 UTC 7d")
    expect(scheduledWindowAt(s, at("2025-07-09T10:00:00Z"))).toEqual({ start: at("2025-07-07T00:00:00Z"), end: at("2025-07-14T00:00:00Z") })
  })

  it("a shorter window between occurrences gives the next one", () => {
    const s = schedule("mon 00:00 UTC 1d")
    expect(scheduledWindowAt(s, at("2025-07-09T10:00:00Z"))).toEqual({ start: at("2025-07-14T00:00:00Z"), end: at("2025-07-15T00:00:00Z") })
  })

  it("for any instant and zone, a 7-day window contains the instant and starts on the weekday at the time, locally", () => {
    const zones = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney", "UTC"]
    fc.assert(
      fc.property(fc.integer({ min: at("2022-01-01T00:00:00Z"), max: at("2027-01-01T00:00:00Z") }), fc.constantFrom(...zones), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 23 }), (ms, zone, weekday, hour) => {
        const s = schedule(`${["sun", "mon", "tue", "wed", "thu", "fri", "sat"][weekday]} ${String(hour).padStart(2, "0")}:00 ${zone} 7d`)
        const w = scheduledWindowAt(s, ms)
        expect(w.start <= ms && ms < w.end).toBe(true)
        // On UTC hours, as counts are kept.
        expect(w.start % HOUR).toBe(0)
        expect(w.end % HOUR).toBe(0)
        const local = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "numeric", minute: "numeric", hourCycle: "h23" }).formatToParts(new Date(w.start))
        const part = (t: string) => local.find((p) => p.type === t)!.value
        // A local time skipped by a spring change starts the window an hour later, as the market's would.
        expect(["sun", "mon", "tue", "wed", "thu", "fri", "sat"].indexOf(part("weekday").toLowerCase())).toBe(weekday)
        expect(Number(part("minute"))).toBe(0)
        expect([hour, (hour + 1) % 24]).toContain(Number(part("hour")))
        expect(Math.abs(w.end - w.start - 168 * HOUR)).toBeLessThanOrEqual(HOUR)
      }),
      { numRuns: 300 }
    )
  })

  it("says what is wrong with a bad schedule", () => {
    expect(parseWindowSchedule("fri noon America/New_York 7d")).toMatch(/is not "<weekday> <HH:MM> <time zone> <N>d"/)
    expect(parseWindowSchedule("fry 12:00 America/New_York 7d")).toBe('"fry" is not a weekday (mon, tue, wed, thu, fri, sat, sun)')
    expect(parseWindowSchedule("fri 25:00 America/New_York 7d")).toBe('"25:00" is not a time of day')
    expect(parseWindowSchedule("fri 12:00 Mars/Olympus 7d")).toBe('"Mars/Olympus" is not an IANA time zone (e.g. America/New_York, UTC)')
    expect(parseWindowSchedule("fri 12:00 UTC 0d")).toBe("0d: a window is 1 to 31 days long")
    // Windows must fall on UTC hours: no half hours, no zones a half or quarter hour from UTC.
    expect(parseWindowSchedule("fri 12:30 America/New_York 7d")).toBe('"12:30": a window starts on a whole hour (counts are kept per UTC hour)')
    expect(parseWindowSchedule("fri 12:00 Asia/Kolkata 7d")).toMatch(/^"Asia\/Kolkata" is not a whole number of hours from UTC/)
    expect(parseWindowSchedule("fri 12:00 Asia/Kathmandu 7d")).toMatch(/is not a whole number of hours from UTC/)
  })
})
