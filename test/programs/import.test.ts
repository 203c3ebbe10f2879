/**
 * `musktracker import FILE` through @effect/cli into an embedded store (PGlite in a temp
 * MUSKTRACKER_DATA_DIR): the shared 70k-row CSV gives hourly and daily counts equal to counts computed
 * here, independently, from the CSV text; a second import appends nothing; a malformed row fails
 * naming file and line and writes nothing, and the fixed file then imports correctly.
 */
import { Command } from "@effect/cli"
import { Cause, Chunk, Effect, Exit, Layer, ManagedRuntime, Stream } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { EventStore } from "../../src/domain/ports/event-store"
import { snowflakeIdAt } from "../../src/domain/ingestion/tweet-id"
import { errorLine, exitCodeFor, primaryError } from "../../src/programs/cli/cli-errors"
import { importCommand } from "../../src/programs/import/command"
import { dailyCounts, hourlyCounts } from "../../src/projections/queries/counts"
import { withTempDataDir } from "../support/pglite"
import { SHARED_CSV } from "../support/shared-data"
import { runCli, type CliRun } from "../support/cli"

const CSV = SHARED_CSV
const HOUR = 3_600_000
const DAY = 86_400_000
const root = withTempDataDir("mt-import-")
const dataDir = join(root, "store")

const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands([importCommand])), { name: "musktracker", version: "0" })
let last: CliRun | undefined
const exec = async (args: ReadonlyArray<string>) => {
  last = await runCli(cli, args, { MUSKTRACKER_DATA_DIR: dataDir })
  return last.exit
}
const printed = () => last?.stdout ?? ""

/** Opens the data directory between commands (the CLI has closed it) to read counts and the log. */
const inspect = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof storeLayer>>) => {
  const rt = ManagedRuntime.make(storeLayer)
  return rt.runPromise(effect).finally(() => rt.dispose())
}
const storeLayer = EventStoreSql.pipe(Layer.provideMerge(migrated(SqlDatabasePglite(dataDir))))
const eventCount = () => inspect(Effect.flatMap(EventStore, (s) => s.count))

/** Independent oracle: the CSV text split by hand, bucketed with plain integer division. */
const oracle = (() => {
  const lines = readFileSync(CSV, "utf8").split(/\r?\n/).filter((l) => l.length > 0)
  const header = lines[0]!.split(",")
  const at = header.indexOf("created_at")
  const hourly = new Map<number, number>()
  const daily = new Map<number, number>()
  const ids = new Set<string>()
  let min = Infinity
  let max = -Infinity
  for (const line of lines.slice(1)) {
    const cells = line.split(",")
    ids.add(cells[0]!)
    const ms = new Date(cells[at]!).getTime()
    min = Math.min(min, ms)
    max = Math.max(max, ms)
    const h = ms - (((ms % HOUR) + HOUR) % HOUR)
    const d = ms - (((ms % DAY) + DAY) % DAY)
    hourly.set(h, (hourly.get(h) ?? 0) + 1)
    daily.set(d, (daily.get(d) ?? 0) + 1)
  }
  return { rows: lines.length - 1, ids, hourly, daily, min, max }
})()


describe("import of the shared CSV into the embedded store", () => {
  it("gives hourly and daily counts equal to counts computed from the CSV", async () => {
    expect(oracle.rows).toBe(70_233)
    expect(oracle.ids.size).toBe(oracle.rows)
    const exit = await exec(["import", CSV])
    expect(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(true)
    expect(printed()).toMatch(new RegExp(`: ${oracle.rows} rows, ${oracle.rows} new tweets, 0 already present; projected \\d+ events`))
    const from = Math.floor(oracle.min / DAY) * DAY
    const to = Math.floor(oracle.max / DAY) * DAY + DAY
    const [hours, days] = await inspect(Effect.all([hourlyCounts({ account: "elonmusk", from, to }), dailyCounts({ account: "elonmusk", from, to })]))
    expect(hours).toHaveLength((to - from) / HOUR)
    expect(days).toHaveLength((to - from) / DAY)
    const hourMismatch = hours.filter((b) => b.count !== (oracle.hourly.get(b.bucketStart) ?? 0))
    const dayMismatch = days.filter((b) => b.count !== (oracle.daily.get(b.bucketStart) ?? 0))
    expect(hourMismatch).toEqual([])
    expect(dayMismatch).toEqual([])
    expect(hours.reduce((s, b) => s + b.count, 0)).toBe(oracle.rows)
    expect(days.reduce((s, b) => s + b.count, 0)).toBe(oracle.rows)
    expect(await eventCount()).toBe(oracle.rows)
  }, 240_000)

  it("a second import appends nothing", async () => {
    const exit = await exec(["import", CSV])
    expect(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(true)
    expect(printed()).toMatch(new RegExp(`: ${oracle.rows} rows, 0 new tweets, ${oracle.rows} already present; projected 0 events`))
    // Already present as this account's own: nothing to note.
    expect(last!.stderr).not.toContain("note:")
    expect(await eventCount()).toBe(oracle.rows)
  }, 240_000)
})

describe("a malformed CSV", () => {
  const file = join(root, "bad.csv")
  // Snowflake ids whose encoded time is their created_at (as X's are)
  const at = (iso: string, seq = 0) => snowflakeIdAt(Date.parse(iso), seq)
  const ids = [at("2025-03-01T10:00:00Z"), at("2025-03-01T10:30:00Z"), at("2025-03-01T11:15:00Z")]
  const good = ["tweet_id,created_at,kind", `${ids[0]},2025-03-01T10:00:00Z,post`, `${ids[1]},2025-03-01T10:30:00Z,reply`, `${ids[2]},2025-03-01T11:15:00Z,quote`]
  const next = at("2025-03-01T12:00:00Z")
  const bad = [
    { line: `${next},2025-03-01 12:00,post`, reason: /created_at "2025-03-01 12:00" is not an ISO 8601 instant/ },
    { line: `${next},2025-03-01T12:00:00Z,like`, reason: /kind "like" is not one of post, reply, quote, retweet/ },
    { line: "19e17,2025-03-01T12:00:00Z,post", reason: /tweet id "19e17" is not a decimal number of 1 to 19 digits/ },
    { line: "19000000000000000040,2025-03-01T12:00:00Z,post", reason: /tweet id "19000000000000000040" is not a decimal number of 1 to 19 digits/ },
    // canonical ids: one tweet has one spelling
    { line: "0000000000000000042,2025-03-01T12:00:00Z,post", reason: /tweet id "0000000000000000042" has a leading zero \(write it as 42\)/ },
    { line: "9999999999999999999,2025-03-01T12:00:00Z,post", reason: /above the 64-bit maximum 9223372036854775807/ },
    { line: "42,2025-03-01T12:00:00Z,post", reason: /pre-2010 sequential id, but created_at is 2025-03-01/ },
    // impossible instants
    { line: `${at("2025-03-01T12:00:00Z")},2099-01-01T00:00:00Z,post`, reason: /created_at 2099-01-01T00:00:00.000Z is after the tweet was observed/ },
    { line: `${next},2025-03-01T12:05:00Z,post`, reason: /disagrees with the time in tweet id \d+ \(2025-03-01T12:00:00.000Z\) by more than 2 minutes/ }
  ]
  it("with a bad instant, kind, id, non-canonical id or impossible time fails naming file and line, and writes nothing", async () => {
    const before = await eventCount()
    for (const { line, reason } of bad) {
      // The bad row is line 4 (the header is line 1); a good row follows it.
      writeFileSync(file, [...good.slice(0, 3), line, good[3]!].join("\n") + "\n")
      const exit = await exec(["import", file])
      expect(Exit.isFailure(exit)).toBe(true)
      const error = Exit.isFailure(exit) ? primaryError(exit.cause) : undefined
      expect(exitCodeFor(error)).toBe(1)
      const message = errorLine(error)
      expect(message.startsWith(`${file}:4: `), message).toBe(true)
      expect(message).toMatch(reason)
    }
    expect(await eventCount()).toBe(before)
  }, 120_000)

  it("once fixed, imports its rows with their kinds", async () => {
    writeFileSync(file, good.join("\n") + "\n")
    const before = await eventCount()
    const exit = await exec(["import", file])
    expect(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(true)
    expect(await eventCount()).toBe(before + 3)
    const kinds = await inspect(
      Effect.flatMap(EventStore, (s) => Stream.runCollect(s.readAll({ after: BigInt(before) }))).pipe(
        Effect.map((c) => Chunk.toReadonlyArray(c).map((e) => [(e.data as { tweetId: string }).tweetId, (e.data as { kind: string }).kind]))
      )
    )
    expect(kinds).toEqual([
      [ids[0], "post"],
      [ids[1], "reply"],
      [ids[2], "quote"]
    ])
  }, 120_000)

  it("--skip-invalid imports the valid rows and lists every skipped one with its line and rule", async () => {
    const extra = at("2025-03-02T09:00:00Z")
    writeFileSync(file, [...good, `0${extra.slice(1)},2025-03-02T09:00:00Z,post`, `${extra},2025-03-02T09:00:00Z,post`, "42,2025-03-02T09:00:00Z,post"].join("\n") + "\n")
    const before = await eventCount()
    const exit = await exec(["import", file, "--skip-invalid"])
    expect(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(true)
    expect(await eventCount()).toBe(before + 1) // the three good rows were imported already
    expect(printed()).toMatch(/4 rows, 1 new tweet, 3 already present; 2 invalid rows skipped/)
    const skipped = last!.stderr.split("\n").filter((l) => l.startsWith("skipped"))
    expect(skipped).toEqual([expect.stringMatching(new RegExp(`^skipped ${file}:5: .*leading zero`)), expect.stringMatching(new RegExp(`^skipped ${file}:7: .*sequential id`))])
  }, 120_000)

  it("under another --account, tweets already recorded for @elonmusk are named, not silently counted as present", async () => {
    writeFileSync(file, good.join("\n") + "\n")
    const before = await eventCount()
    last = await runCli(cli, ["import", file, "--account", "other_acct"], { MUSKTRACKER_DATA_DIR: dataDir })
    expect(Exit.isSuccess(last.exit), Exit.isFailure(last.exit) ? Cause.pretty(last.exit.cause) : "").toBe(true)
    expect(printed()).toMatch(/3 rows, 0 new tweets, 3 already present/)
    expect(last.stderr.split("\n").filter((l) => l.startsWith("note:"))).toEqual([
      "note: 3 of the tweets already present are @elonmusk's, not @other_acct's: a tweet stays with the account it was first recorded for, so they were not added to @other_acct"
    ])
    expect(await eventCount()).toBe(before)
  }, 120_000)
})
