/** `projections status` prints its table through the shared renderer: numbers right-aligned, `never` for a projection not yet run. */
import { describe, expect, it } from "vitest"
import { formatStatus } from "../../src/programs/projections/program"

describe("formatStatus", () => {
  it("lists each projection's checkpoint and lag under the store lines", () => {
    const text = formatStatus({
      store: "embedded PGlite at /x",
      database: "embedded PGlite at /x",
      events: 1200,
      lastPosition: 1200n,
      projections: [
        { name: "tweets", checkpoint: 1200n, lag: 0, updatedAt: new Date("2026-12-04T18:00:00Z") },
        { name: "forecasts", checkpoint: 0n, lag: 1200, updatedAt: undefined }
      ]
    })
    expect(text.split("\n")).toEqual([
      "event store: embedded PGlite at /x",
      "read models: embedded PGlite at /x",
      "events: 1200, last position: 1200",
      "projection  checkpoint   lag  updated",
      "----------  ----------  ----  --------------------",
      "tweets            1200     0  2026-12-04T18:00:00Z",
      "forecasts            0  1200  never"
    ])
  })
})
