/**
 * `musktracker report` on stores that lack data: every section without data says so and names the
 * command that fills it, instead of failing; with tweets but nothing else, only the counts chart shows.
 * Runs writeReport on an in-memory PGlite store (the read models come from the real projections).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { importRows } from "../../src/programs/import/program"
import { writeReport } from "../../src/programs/report/program"
import { withTempDataDir } from "../support/pglite"
import { useStore } from "../projections/read-model-store"

const NOW = Date.parse("2025-06-02T12:00:00Z")
const text = (html: string) => html.replace(/<[^>]+>/g, "")

describe("report on an empty store", () => {
  const store = useStore("pglite")
  const dir = withTempDataDir("mt-report-empty-")

  it("writes a page whose four sections say what is missing", async () => {
    const out = join(dir, "empty", "report.html")
    const r = await store.run(writeReport("elonmusk", out, NOW))
    expect(r.charts).toEqual([])
    expect(r.emptySections).toEqual(["counts", "forecast", "backtest", "fits"])
    const html = readFileSync(out, "utf8")
    expect(html).toBe(r.html)
    const page = text(html)
    expect(page).toContain("no tweets yet: run musktracker import FILE  (or: musktracker ingest)")
    expect(page).toContain("no forecast yet: run musktracker forecast --horizon 7d")
    expect(page).toContain("no completed backtest yet: run musktracker train")
    expect(page).toContain("no fitted model yet: run musktracker train")
    expect(page).toContain("The store holds no tweets.")
    expect(page).toContain("Generated 2025-06-02 12:00 UTC")
    expect(html).not.toContain("<svg")
  })

  it("with tweets only: the counts chart, and the regimes, forecast, backtest and fits still missing", async () => {
    const start = Date.parse("2025-05-05T00:00:00Z")
    // 3 tweets a day at 01:00, 09:00 and 17:00 for 14 days
    const rows = Array.from({ length: 42 }, (_, i) => ({
      tweetId: String(1_900_000_000_000_000_000n + BigInt(i)),
      createdAt: start + Math.floor(i / 3) * 86_400_000 + (1 + 8 * (i % 3)) * 3_600_000,
      kind: "post" as const,
      line: i + 2
    }))
    await store.run(importRows(rows, "elonmusk", "test rows"))
    const r = await store.run(writeReport("elonmusk", join(dir, "tweets.html"), NOW))
    expect(r.charts).toEqual(["daily-counts"])
    expect(r.emptySections).toEqual(["regimes", "forecast", "backtest", "fits"])
    const page = text(r.html)
    expect(page).toContain("42 tweets (all kinds) on 14 UTC days, 2025-05-05 .. 2025-05-18")
    expect(page).toContain("no regime shifts detected yet: run musktracker regimes detect")
    // every day holds 3 tweets, so the y axis spans 0..3 and the x axis the 14 days
    expect(r.html).toContain("Y-axis titled 'tweets per day' for a linear scale with values from 0.0 to 3.0")
    expect(r.html).toContain("X-axis titled 'day (UTC)' for a utc scale with values from 2025-05-05 to 2025-05-18")
  })
})
