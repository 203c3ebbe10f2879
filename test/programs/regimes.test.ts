/**
 * `regimes detect` / `regimes list`.
 *
 * 1. The shared CSV imported into an embedded store (readArchive + importRows, the `import` path):
 *    detect records one RegimeShiftDetected per detection in `regime-elonmusk`, finds the big shifts
 *    (located independently here: the maximum-likelihood split of a two-level Poisson model of the
 *    daily counts inside a bracket around each), and a re-run appends nothing.
 * 2. Through the CLI commands on a data directory (MUSKTRACKER_DATA_DIR): synthetic tweets of two
 *    accounts with one clear level shift; detect (json), list (json), re-run, and a bad --account.
 */
import { Command } from "@effect/cli"
import { Cause, Chunk, Effect, Exit, Option, Stream } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { readArchive } from "../../src/adapters/archive/read-archive"
import { decodeCatalogStream } from "../../src/domain/events/catalog"
import { EventStore } from "../../src/domain/ports/event-store"
import { snowflakeIdAt } from "../../src/domain/ingestion/tweet-id"
import { Rng } from "../../src/domain/random"
import { DAY_MS, dayFloor, toIsoUtc } from "../../src/domain/time"
import { exitCodeFor } from "../../src/programs/cli/cli-errors"
import { importRows } from "../../src/programs/import/program"
import { importCommand } from "../../src/programs/import/command"
import { regimesDetect, type DetectReport } from "../../src/programs/regimes/program"
import { regimesCommand } from "../../src/programs/regimes/command"
import { withTempDataDir } from "../support/pglite"
import { captureLog, useStore } from "../projections/read-model-store"
import { SHARED_CSV } from "../support/shared-data"
import { runCli } from "../support/cli"

const CSV = SHARED_CSV
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`)

/** Offline ML split of a two-level Poisson model of daily counts over [from, to) (sees the whole bracket). */
const offlineSplit = (times: ReadonlyArray<number>, from: number, to: number) => {
  const n = (to - from) / DAY_MS
  const xs = new Array<number>(n).fill(0)
  for (const t of times) if (t >= from && t < to) xs[Math.floor((t - from) / DAY_MS)]!++
  const ll = (seg: number[]) => {
    const s = seg.reduce((a, b) => a + b, 0)
    return s > 0 ? s * Math.log(s / seg.length) : 0
  }
  let best = -1
  let bestLl = -Infinity
  for (let k = 7; k <= n - 7; k++) {
    const v = ll(xs.slice(0, k)) + ll(xs.slice(k))
    if (v > bestLl) [best, bestLl] = [k, v]
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length
  return { at: from + best * DAY_MS, up: mean(xs.slice(best)) > mean(xs.slice(0, best)) }
}

// the three large moves of the weekly totals (see docs/regimes.md): brackets around each
const BRACKETS = [
  { name: "July 2024 rise", from: "2024-05-01", to: "2024-09-30" },
  { name: "late-2024 rise to ~900/week", from: "2024-09-01", to: "2024-12-31" },
  { name: "spring-2025 fall to ~350/week", from: "2025-03-10", to: "2025-05-31" }
] as const

describe("regimes detect on the shared data in an embedded store", () => {
  const store = useStore("pglite")
  let times: number[] = []
  let first: { report: DetectReport; lines: string[] }

  beforeAll(async () => {
    const rows = await Effect.runPromise(readArchive(CSV))
    times = rows.map((r) => r.createdAt)
    await store.run(importRows(rows, "elonmusk", "shared csv"))
  }, 300_000)

  const streamEvents = () =>
    store.run(
      Effect.flatMap(EventStore, (s) => Stream.runCollect(s.readStream("regime-elonmusk").pipe(decodeCatalogStream))).pipe(Effect.map(Chunk.toReadonlyArray))
    )

  it("records every detection of both detectors and finds the big shifts", async () => {
    const { lines, result } = await captureLog(store.run, regimesDetect({ account: "elonmusk", detector: "both", format: "table" }))
    first = { report: result, lines }
    const report = result
    // complete days only: the newest tweet's day (2025-12-31) is left out
    const newest = Math.max(...times)
    expect(report.days).toEqual({ from: dayFloor(Math.min(...times)), to: dayFloor(newest) })
    expect(report.tweets).toBe(times.length)
    expect(report.appended).toBe(report.detections.length)
    expect(report.detections.every((d) => d.appended)).toBe(true)

    const recorded = await streamEvents()
    expect(recorded.map((e) => e.id)).toEqual(report.detections.map((d) => d.eventId))
    expect(recorded.map((e) => e.data)).toEqual(report.detections.map((d) => d.data))
    for (const e of recorded) {
      if (e.type !== "RegimeShiftDetected") throw new Error(`unexpected ${e.type}`)
      expect(Date.parse(e.data.detectedAt)).toBeLessThanOrEqual(report.days!.to)
      expect(Date.parse(e.data.detectedAt)).toBeGreaterThan(Date.parse(e.data.at))
    }

    for (const detector of ["bocpd", "rolling_variance"] as const) {
      const own = report.detections.map((d) => d.data).filter((d) => d.detector === detector)
      expect(own.length, detector).toBeGreaterThanOrEqual(3)
      expect(own.length, detector).toBeLessThanOrEqual(15)
      for (const b of BRACKETS) {
        const split = offlineSplit(times, day(b.from), day(b.to))
        const near = own.filter((d) => Math.abs(Date.parse(d.at) - split.at) <= 14 * DAY_MS)
        expect(near.length, `${detector}: ${b.name}`).toBe(1)
        const d = near[0]!
        expect(Date.parse(d.detectedAt) - split.at, `${detector}: ${b.name}`).toBeLessThanOrEqual(35 * DAY_MS)
        expect(d.levelAfter > d.levelBefore, `${detector}: ${b.name}`).toBe(split.up)
        expect(Math.abs(Math.log(d.levelAfter / d.levelBefore))).toBeGreaterThan(Math.log(1.4))
      }
    }

    // the printed table: header, rule, one line per detection, summary
    expect(lines.length).toBe(2)
    const table = lines[0]!.split("\n")
    expect(table.length).toBe(2 + report.detections.length)
    expect(table[2]).toContain(report.detections[0]!.data.at.slice(0, 10))
    expect(lines[1]).toContain(`${report.detections.length} new events appended to regime-elonmusk, 0 already recorded`)
  }, 300_000)

  it("a re-run appends nothing", async () => {
    const before = await store.run(Effect.flatMap(EventStore, (s) => s.lastPosition))
    const { lines, result } = await captureLog(store.run, regimesDetect({ account: "elonmusk", detector: "both", format: "table" }))
    expect(result.appended).toBe(0)
    expect(result.detections.map((d) => d.eventId)).toEqual(first.report.detections.map((d) => d.eventId))
    expect(result.detections.every((d) => !d.appended)).toBe(true)
    expect(await store.run(Effect.flatMap(EventStore, (s) => s.lastPosition))).toBe(before)
    expect((await streamEvents()).length).toBe(first.report.detections.length)
    expect(lines[1]).toContain(`0 new events appended to regime-elonmusk, ${result.detections.length} already recorded`)
  }, 300_000)
})

describe("regimes commands through the CLI on a data directory", () => {
  const dir = withTempDataDir("mt-regimes-cli-")
  const root = Command.make("musktracker").pipe(Command.withSubcommands([importCommand, regimesCommand]))
  const cli = Command.run(root, { name: "musktracker", version: "test" })
  const run = async (...args: string[]) => {
    const r = await runCli(cli, args, { MUSKTRACKER_DATA_DIR: join(dir, "store") })
    return { lines: [...r.out], result: r.exit }
  }
  const failure = (exit: Exit.Exit<unknown, unknown>) =>
    Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

  // 90 days at ~20 posts/day, then 60 days at ~80/day; a second account posts ~5/day throughout
  const START = day("2025-01-06")
  const SHIFT = START + 90 * DAY_MS
  // Snowflake ids that encode their created_at, as X's do; `sequence` keeps the two accounts' ids apart.
  const writeCsv = (file: string, rates: (d: number) => number, days: number, seed: number, sequence: number) => {
    const rng = Rng.seeded(seed)
    const lines = ["tweet_id,created_at,kind"]
    for (let d = 0; d < days; d++) {
      const n = rng.poisson(rates(d))
      for (let i = 0; i < n; i++) {
        const at = START + d * DAY_MS + Math.floor(rng.uniform() * DAY_MS)
        lines.push(`${snowflakeIdAt(at, sequence + i)},${toIsoUtc(at)},post`)
      }
    }
    writeFileSync(file, lines.join("\n") + "\n")
    return lines.length - 1
  }
  let elonTweets = 0

  beforeAll(async () => {
    elonTweets = writeCsv(join(dir, "elon.csv"), (d) => (d < 90 ? 20 : 80), 151, 11, 0)
    writeCsv(join(dir, "other.csv"), () => 5, 151, 12, 1_000_000)
    for (const [file, account] of [["elon.csv", "elonmusk"], ["other.csv", "someone_else"]] as const) {
      const { result } = await run("import", join(dir, file), "--account", account)
      expect(Exit.isSuccess(result)).toBe(true)
    }
  }, 300_000)

  it("detect finds the shift of the chosen account only, list shows what was recorded, a re-run appends nothing", async () => {
    const detect = await run("regimes", "detect", "--account", "@ElonMusk", "--detector", "bocpd", "--format", "json")
    expect(Exit.isSuccess(detect.result)).toBe(true)
    const out = JSON.parse(detect.lines.join("\n")) as {
      tweets: number
      appended: number
      days: { from: string; to: string }
      detections: Array<{ detector: string; at: string; level_before: number; level_after: number; event_id: string; new: boolean }>
    }
    expect(out.tweets).toBe(elonTweets)
    expect(out.days.from).toBe(toIsoUtc(START))
    expect(out.detections.every((d) => d.detector === "bocpd" && d.new)).toBe(true)
    const shift = out.detections.filter((d) => Math.abs(Date.parse(d.at) - SHIFT) <= 7 * DAY_MS)
    expect(shift.length).toBe(1)
    expect(shift[0]!.level_after / shift[0]!.level_before).toBeGreaterThan(2.5)
    expect(out.appended).toBe(out.detections.length)

    const list = await run("regimes", "list", "--format", "json")
    expect(Exit.isSuccess(list.result)).toBe(true)
    const rows = JSON.parse(list.lines.join("\n")) as Array<{ account: string; event_id: string; at: string }>
    expect(rows.map((r) => r.event_id)).toEqual(out.detections.map((d) => d.event_id))
    expect(rows.every((r) => r.account === "elonmusk")).toBe(true)

    const again = await run("regimes", "detect", "--detector", "bocpd")
    expect(Exit.isSuccess(again.result)).toBe(true)
    expect(again.lines.at(-1)).toContain(`0 new events appended to regime-elonmusk, ${out.detections.length} already recorded`)
    const table = await run("regimes", "list", "--account", "someone_else")
    expect(table.lines).toEqual(["no regime shifts recorded (run `musktracker regimes detect`)"])
  }, 300_000)

  it("a malformed --account is a usage error (exit 2)", async () => {
    const { result } = await run("regimes", "detect", "--account", "not a handle!")
    const error = failure(result)
    expect(error).toMatchObject({ _tag: "UsageError" })
    expect(exitCodeFor(error)).toBe(2)
  })
})
