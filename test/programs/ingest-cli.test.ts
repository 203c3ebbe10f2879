/**
 * `musktracker ingest`, `ingest verify` and `ingest runs` through @effect/cli, configured by the
 * environment as a user would (X_API_BASE_URL at the fake X server on 127.0.0.1, X_BEARER_TOKEN,
 * MUSKTRACKER_DATA_DIR in a temp directory): one clear line and exit 1 for no token, a wrong token or
 * an unknown account, with nothing written; a backfill, then verify agreeing, then verify naming the
 * hours where X's counts differ (exit 1).
 */
import { Command } from "@effect/cli"
import { Cause, Exit } from "effect"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeXServer, startFakeXServer } from "../../src/adapters/x-api/fake-server"
import { toIsoUtc } from "../../src/domain/time"
import { errorLine, exitCodeFor, primaryError } from "../../src/programs/cli/cli-errors"
import { ingestCommand } from "../../src/programs/ingest/command"
import { verifyWindow } from "../../src/programs/ingest/verify"
import { withTempDataDir } from "../support/pglite"
import { DAY, HOUR, makePosts } from "./ingest-support"
import { runCli, type CliRun } from "../support/cli"

const ELON = "44196397"
const NOW = Date.now()
const MIN = 60_000
const root = withTempDataDir("mt-ingest-cli-")
const dataDir = join(root, "store")
let server: FakeXServer

// 200 posts, one every 45 minutes, the newest 20 minutes ago (6.2 days), and 10 older than 8 days.
const recent = makePosts(ELON, 200, NOW - 20 * MIN, 45 * MIN, 1)
const old = makePosts(ELON, 10, NOW - 8 * DAY, HOUR, 2)

const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands([ingestCommand])), { name: "musktracker", version: "0" })
let lastRun: CliRun | undefined
/** Runs with the stand-in's URL and token and this test's store, `env` added or (undefined) removed. */
const exec = async (args: ReadonlyArray<string>, env: Record<string, string | undefined> = {}) => {
  lastRun = await runCli(cli, args, { X_API_BASE_URL: server.url, X_BEARER_TOKEN: server.token, MUSKTRACKER_DATA_DIR: dataDir, ...env })
  return lastRun.exit
}
const printed = () => lastRun?.stdout ?? ""
/** What main.ts prints and returns for a failed command. */
const failure = (exit: Exit.Exit<void, unknown>) => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = primaryError(exit.cause)
  return { line: errorLine(error), code: exitCodeFor(error) }
}
const ok = (exit: Exit.Exit<void, unknown>) => expect(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(true)

beforeAll(async () => {
  server = await startFakeXServer({ tweets: [...recent, ...old] })
})
afterAll(async () => {
  await server.close()
})

describe("ingest refuses with one line, exit 1, and writes nothing", () => {
  it.each([
    { name: "no token", args: ["ingest"], env: { X_BEARER_TOKEN: undefined }, line: /^X_BEARER_TOKEN is not set: the X API needs a bearer token/ },
    { name: "an empty token", args: ["ingest"], env: { X_BEARER_TOKEN: "  " }, line: /^X_BEARER_TOKEN is not set/ },
    { name: "a wrong token", args: ["ingest", "--backfill-days", "7"], env: { X_BEARER_TOKEN: "wrong" }, line: /^X API rejected the bearer token \(401\) .*check X_BEARER_TOKEN/ },
    { name: "an unknown account", args: ["ingest", "--account", "@nobody_here"], env: {}, line: /^X has no user @nobody_here$/ }
  ])("$name", async ({ args, env, line }) => {
    const f = failure(await exec(args, env))
    expect(f.line).toMatch(line)
    expect(f.line).not.toContain("\n")
    expect(f.code).toBe(1)
    // Not even the embedded data directory was created.
    expect(existsSync(dataDir)).toBe(false)
  })

  it("a bad --backfill-days is a usage error (exit 2)", async () => {
    const f = failure(await exec(["ingest", "--backfill-days", "0"]))
    expect(f.line).toBe("--backfill-days 0: expected a whole number of days from 1")
    expect(f.code).toBe(2)
    expect(existsSync(dataDir)).toBe(false)
  })

  it("a --backfill-days reaching before 2010-11-06, which X's timeline refuses, is a usage error before any request (exit 2)", async () => {
    const f = failure(await exec(["ingest", "--backfill-days", "100000"]))
    expect(f.line).toMatch(/^--backfill-days 100000: X's user timeline starts no earlier than 2010-11-06, at most \d{4,} days back today$/)
    expect(f.code).toBe(2)
    expect(existsSync(dataDir)).toBe(false)
  })
})

describe("ingest, ingest verify and ingest runs", () => {
  it("ingest --backfill-days 7 prints the summary", async () => {
    ok(await exec(["ingest", "--backfill-days", "7"]))
    const out = printed().split("\n")
    expect(out).toContain("pages: 2; tweets seen: 200; new: 200; already present: 0")
    expect(out.some((l) => /^ingest @elonmusk \(user 44196397\): backfill, since \d{4}-\d\d-\d\dT/.test(l))).toBe(true)
    expect(out.some((l) => /^Reached back to .*: the timeline served every post since then\.$/.test(l))).toBe(true)
    expect(out).toContain(`cursor: ${recent[0]!.id} (the next incremental run asks for newer posts)`)
    // not on a terminal: progress as plain lines on the error stream, ending at the hours requested
    const progress = (lastRun?.stderr ?? "").split("\n").filter((l) => l.startsWith("ingest @elonmusk (hours back to "))
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress[progress.length - 1]).toMatch(/: (\d+)\/\1$/)
    expect(printed()).not.toMatch(/hours back to/)
  })

  it("ingest verify agrees with X's counts (exit 0)", async () => {
    ok(await exec(["ingest", "verify"]))
    const out = printed()
    // 166 to 168 whole hours: the window's edges keep margins from the clock (at minute 55+ the first
    // whole hour after X's 7-day reach moves one hour later)
    const w = verifyWindow(Date.now(), 7)
    const inWindow = recent.filter((p) => p.ms >= w.fromMs && p.ms < w.toMs).length
    expect(out).toMatch(new RegExp(`^ingest verify @elonmusk: 16[678] hours .*; read model ${inWindow} posts, X ${inWindow}$`, "m"))
    expect(out).toContain("no difference: every hour agrees with X's counts")
  })

  it("ingest verify names every hour that differs and exits 1", async () => {
    // Three posts X has and the store has not: two in one hour, one in another.
    const h1 = Math.floor((NOW - 3 * DAY) / HOUR) * HOUR
    const h2 = Math.floor((NOW - 30 * HOUR) / HOUR) * HOUR
    const extra = [
      ...makePosts(ELON, 2, h1 + 7 * MIN, MIN, 3),
      ...makePosts(ELON, 1, h2 + 59 * MIN, MIN, 4)
    ]
    server.addTweets(extra)
    const f = failure(await exec(["ingest", "verify", "--days", "5"]))
    expect(f.code).toBe(1)
    expect(f.line).toMatch(/^2 of 12\d hours differ between the read model and X's counts for @elonmusk/)
    const rows = printed()
      .split("\n")
      .filter((l) => /^\d{4}-\d\d-\d\dT/.test(l))
      .map((l) => l.trim().split(/\s+/))
    const storeCount = (h: number) => recent.filter((p) => p.ms >= h && p.ms < h + HOUR).length
    expect(rows).toEqual([
      [toIsoUtc(h1), String(storeCount(h1)), String(storeCount(h1) + 2), "-2"],
      [toIsoUtc(h2), String(storeCount(h2)), String(storeCount(h2) + 1), "-1"]
    ])
  })

  it("after an incremental ingest, verify agrees again; ingest runs lists both runs", async () => {
    // The extra posts are older than the cursor, so an incremental run cannot see them: a backfill can.
    ok(await exec(["ingest"]))
    expect(printed()).toContain("pages: 1; tweets seen: 0; new: 0; already present: 0")
    ok(await exec(["ingest", "--backfill-days", "4"]))
    expect(printed()).toMatch(/tweets seen: \d+; new: 3; already present: \d+/)
    ok(await exec(["ingest", "verify", "--days", "5"]))
    expect(printed()).toContain("no difference")
    ok(await exec(["ingest", "runs"]))
    const lines = printed().split("\n")
    expect(lines[0]).toMatch(/^started\s+account\s+mode\s+status\s+pages\s+seen\s+new\s+cursor\s+reached back to$/)
    const body = lines.slice(2).map((l) => l.split(/\s{2,}/))
    expect(body.map((r) => [r[1], r[2], r[3], r[6]])).toEqual([
      ["@elonmusk", "backfill", "completed", "3"],
      ["@elonmusk", "incremental", "completed", "0"],
      ["@elonmusk", "backfill", "completed", "200"]
    ])
  })

  it("runs --limit below 1 is a usage error, not a database error", async () => {
    for (const limit of ["0", "-1"]) {
      const f = failure(await exec(["ingest", "runs", "--limit", limit]))
      expect(f).toEqual({ code: 2, line: `--limit must be at least 1, got ${limit}` })
    }
  })

  it("verify --days outside 1..7 is a usage error", async () => {
    const f = failure(await exec(["ingest", "verify", "--days", "8"]))
    expect(f.code).toBe(2)
    expect(f.line).toBe("--days 8: expected a whole number of days from 1 to 7")
  })
})
