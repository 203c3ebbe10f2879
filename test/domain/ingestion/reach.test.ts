import { describe, expect, it } from "vitest"
import { describeReach, timelineReach } from "../../../src/domain/ingestion/reach"
import { DAY_MS } from "../../../src/domain/time"

const NOW = Date.parse("2025-12-20T12:00:00Z")

describe("timelineReach (the 3,200-post cap)", () => {
  it("fewer posts than the cap and the timeline ran out: every post since the start was served", () => {
    const start = NOW - 7 * DAY_MS
    const r = timelineReach({ requestedStartMs: start, oldestReachedMs: start + DAY_MS, postsReached: 700, exhausted: true, nowMs: NOW })
    expect(r).toEqual({ _tag: "Complete", reachedBackToMs: start })
    expect(describeReach(r, start)).toBe("Reached back to 2025-12-13T12:00:00Z: the timeline served every post since then.")
  })

  it("no post at all in the window is complete too", () => {
    const r = timelineReach({ requestedStartMs: NOW - DAY_MS, oldestReachedMs: undefined, postsReached: 0, exhausted: true, nowMs: NOW })
    expect(r._tag).toBe("Complete")
  })

  it("a run that stopped before the last page resumes next time", () => {
    const r = timelineReach({ requestedStartMs: NOW - DAY_MS, oldestReachedMs: NOW - 3_600_000, postsReached: 100, exhausted: false, nowMs: NOW })
    expect(r).toEqual({ _tag: "Stopped", reachedBackToMs: NOW - 3_600_000 })
  })

  it("capped inside the search window: recent search covers the gap, no import needed", () => {
    const start = NOW - 5 * DAY_MS
    const oldest = NOW - 3 * DAY_MS
    const r = timelineReach({ requestedStartMs: start, oldestReachedMs: oldest, postsReached: 3_200, exhausted: true, nowMs: NOW })
    expect(r).toEqual({
      _tag: "Capped",
      reachedBackToMs: oldest,
      gap: { startMs: start, endMs: oldest },
      searchable: { startMs: start, endMs: oldest },
      needsImport: undefined
    })
  })

  it("capped beyond the search window: says how far back it reached and points to import for the rest", () => {
    const start = NOW - 60 * DAY_MS
    const oldest = NOW - 30 * DAY_MS
    const r = timelineReach({ requestedStartMs: start, oldestReachedMs: oldest, postsReached: 3_200, exhausted: true, nowMs: NOW })
    expect(r._tag).toBe("Capped")
    if (r._tag !== "Capped") return
    expect(r.searchable).toBeUndefined()
    expect(r.needsImport).toEqual({ startMs: start, endMs: oldest })
    expect(describeReach(r, start)).toBe(
      "X's user timeline reaches only the 3,200 most recent posts: this run reached back to 2025-11-20T12:00:00Z, not 2025-10-21T12:00:00Z. " +
        "Posts from 2025-10-21T12:00:00Z to 2025-11-20T12:00:00Z need an archive: run `musktracker import FILE`."
    )
  })

  it("a gap straddling the 7-day edge splits into an import part and a search part", () => {
    const start = NOW - 10 * DAY_MS
    const oldest = NOW - 4 * DAY_MS
    const r = timelineReach({ requestedStartMs: start, oldestReachedMs: oldest, postsReached: 3_150, exhausted: true, nowMs: NOW })
    expect(r._tag).toBe("Capped")
    if (r._tag !== "Capped") return
    const edge = NOW - 7 * DAY_MS + 5 * 60_000
    expect(r.searchable).toEqual({ startMs: edge, endMs: oldest })
    expect(r.needsImport).toEqual({ startMs: start, endMs: edge })
    expect(describeReach(r, start)).toContain("Recent search covers 2025-12-13T12:05:00Z .. 2025-12-16T12:00:00Z.")
  })

  it("within the slack of the cap counts as capped (deleted posts count against it); well below does not", () => {
    const base = { requestedStartMs: NOW - 60 * DAY_MS, oldestReachedMs: NOW - 30 * DAY_MS, exhausted: true, nowMs: NOW }
    expect(timelineReach({ ...base, postsReached: 3_100 })._tag).toBe("Capped")
    expect(timelineReach({ ...base, postsReached: 3_099 })._tag).toBe("Complete")
    expect(timelineReach({ ...base, postsReached: 3_099, capSlack: 0 })._tag).toBe("Complete")
    expect(timelineReach({ ...base, postsReached: 800, cap: 800, capSlack: 0 })._tag).toBe("Capped")
  })

  it("reaching back past the start is complete even at the cap", () => {
    const r = timelineReach({ requestedStartMs: NOW - DAY_MS, oldestReachedMs: NOW - DAY_MS, postsReached: 3_200, exhausted: true, nowMs: NOW })
    expect(r._tag).toBe("Complete")
  })
})
