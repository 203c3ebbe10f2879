/**
 * Two accounts in one embedded store (PGlite): the last sixteen weeks of the shared data as @elonmusk and a
 * second account whose posts are interleaved with them in time. A forecast of one account is the same
 * whether or not the other's events are in the log, and reproduces with 0 differences; `accounts list`
 * shows both; the commands take --account (or MUSKTRACKER_ACCOUNT) and refuse a bad one with one line
 * and exit 2, writing nothing.
 */
import { Command } from "@effect/cli"
import { Cause, Effect, Exit, Layer, ManagedRuntime } from "effect"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readArchive } from "../../src/adapters/archive/read-archive"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import type { ArchiveRow } from "../../src/domain/archive/csv"
import { SNOWFLAKE_EPOCH_MS } from "../../src/domain/ingestion/tweet-id"
import { HOUR_MS, hourFloor, WEEK_MS } from "../../src/domain/time"
import { accountsList } from "../../src/programs/accounts/program"
import { catchUpProjections } from "../../src/programs/catch-up"
import { errorLine, exitCodeFor, primaryError } from "../../src/programs/cli/cli-errors"
import { subcommands } from "../../src/programs/commands"
import { issueForecast, type ForecastRequest } from "../../src/programs/forecast/issue"
import { reproduceForecast } from "../../src/programs/forecast/reproduce"
import { importRows } from "../../src/programs/import/program"
import { recordingConsole, runCli } from "../support/cli"
import { withEmbeddedStore } from "../support/embedded-store"
import { withTempDataDir } from "../support/pglite"
import { SHARED_CSV } from "../support/shared-data"

const root = withTempDataDir("mt-accounts-")
const dataDir = join(root, "store")
const layer = Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(dataDir))).pipe(Layer.provideMerge(recordingConsole()))
let rt: ManagedRuntime.ManagedRuntime<Layer.Layer.Success<typeof layer>, Layer.Layer.Error<typeof layer>>
const run = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof layer>>) => rt.runPromise(effect)

const ALL = ["post", "reply", "quote", "retweet"] as const
const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands(subcommands)), { name: "musktracker", version: "0" })

/** A valid Snowflake id minted at `ms` (sequence `seq`). */
const snowflakeAt = (ms: number, seq: number): string => ((BigInt(ms - SNOWFLAKE_EPOCH_MS) << 22n) | BigInt(seq % 4096)).toString()

let musk: ArchiveRow[] = []
let other: ArchiveRow[] = []
let origin = 0

const request = (account: string): ForecastRequest => ({
  account,
  model: "ewma_level",
  horizonHours: 168,
  from: origin,
  countKinds: ALL,
  paths: 2000,
  seed: 11,
  now: Date.now()
})

beforeAll(async () => {
  rt = ManagedRuntime.make(layer)
  const rows = [...(await Effect.runPromise(readArchive(SHARED_CSV)))]
  const last = Math.max(...rows.map((r) => r.createdAt))
  musk = rows.filter((r) => r.createdAt >= hourFloor(last) - 16 * WEEK_MS)
  // The second account posts every third hour of the same span, a little after the first account's posts.
  other = musk
    .filter((_, i) => i % 3 === 0)
    .map((r, i) => {
      const createdAt = r.createdAt + 1_000
      return { ...r, tweetId: snowflakeAt(createdAt, i), createdAt, kind: "post" as const }
    })
  origin = hourFloor(last) - 7 * 24 * HOUR_MS
}, 120_000)

describe("two accounts in one store", () => {
  // The CLI tests below open the embedded directory themselves: one process at a time.
  afterAll(async () => {
    await rt.dispose()
  })

  it("a forecast of one account is unchanged by the other's events and reproduces exactly", async () => {
    await run(importRows(musk, "elonmusk", "first account"))
    await run(catchUpProjections)
    const alone = await run(issueForecast(request("elonmusk")))
    // The other account's posts arrive, interleaved in time with the first's.
    await run(importRows(other, "other_acct", "second account"))
    const withOther = await run(issueForecast(request("elonmusk")))
    expect(withOther.data.account).toBe("elonmusk")
    expect(withOther.data.result).toEqual(alone.data.result)
    expect(withOther.data.members.map((m) => m.modelId)).toEqual(alone.data.members.map((m) => m.modelId))
    for (const id of [alone.data.forecastId, withOther.data.forecastId]) {
      const r = await run(reproduceForecast(id))
      expect(r.differences).toEqual([])
      expect(r.compared).toBeGreaterThan(100)
    }
    // The second account's own forecast reads its own, much smaller, counts.
    const second = await run(issueForecast(request("other_acct")))
    expect(second.data.account).toBe("other_acct")
    const before = (rows: ReadonlyArray<ArchiveRow>) => rows.filter((r) => r.createdAt < origin && r.createdAt >= origin - 7 * 24 * HOUR_MS).length
    expect(before(other)).toBeLessThan(before(musk) / 2)
    expect(second.data.result.total.mean).toBeLessThan(alone.data.result.total.mean / 2)
    expect((await run(reproduceForecast(second.data.forecastId))).differences).toEqual([])
  }, 300_000)

  it("accounts list shows each account's tweets, span, last ingest and latest forecast", async () => {
    const rows = await run(accountsList({ format: "table" }))
    expect(rows.map((r) => [r.account, r.tweets])).toEqual([
      ["elonmusk", musk.length],
      ["other_acct", other.length]
    ])
    expect(rows[1]!.firstTweetAt).toBe(Math.min(...other.map((r) => r.createdAt)))
    expect(rows[1]!.lastTweetAt).toBe(Math.max(...other.map((r) => r.createdAt)))
    expect(rows.every((r) => r.lastIngest === null)).toBe(true)
    expect(rows.every((r) => r.latestForecast !== null && r.latestForecast.windowStart === origin)).toBe(true)
  })
})

describe("--account on the command line", () => {
  const lastPosition = () => withEmbeddedStore(dataDir, (s) => s.lastPosition)
  const cliRun = (args: string[], env: Record<string, string> = {}) => runCli(cli, args, { MUSKTRACKER_DATA_DIR: dataDir, ...env })
  const failure = async (args: string[], env: Record<string, string> = {}) => {
    const r = await cliRun(args, env)
    if (Exit.isSuccess(r.exit)) throw new Error(`expected ${args.join(" ")} to fail`)
    const e = primaryError(r.exit.cause)
    return { code: exitCodeFor(e), line: errorLine(e) }
  }

  it("counts reads the account named by --account, else MUSKTRACKER_ACCOUNT, else elonmusk", async () => {
    const total = async (args: string[], env: Record<string, string> = {}) => {
      const r = await cliRun(["counts", "--daily", "--format", "json", ...args], env)
      expect(Exit.isSuccess(r.exit), Exit.isFailure(r.exit) ? Cause.pretty(r.exit.cause) : "").toBe(true)
      return (JSON.parse(r.stdout) as Array<{ count: number }>).reduce((s, b) => s + b.count, 0)
    }
    const lastDay = Math.floor(Math.max(...musk.map((r) => r.createdAt)) / 86_400_000) * 86_400_000
    const inLast90 = (rows: ReadonlyArray<ArchiveRow>) => rows.filter((r) => r.createdAt >= lastDay + 86_400_000 - 90 * 86_400_000).length
    expect(await total([])).toBe(inLast90(musk))
    expect(await total(["--account", "@Other_Acct"])).toBe(inLast90(other))
    expect(await total([], { MUSKTRACKER_ACCOUNT: "other_acct" })).toBe(inLast90(other))
    expect(await total(["--account", "elonmusk"], { MUSKTRACKER_ACCOUNT: "other_acct" })).toBe(inLast90(musk))
  }, 120_000)

  it("forecast list shows every account's forecasts, or one account's with --account, like the other listings", async () => {
    const listed = async (args: string[], env: Record<string, string> = {}) => {
      const r = await cliRun(["forecast", "list", "--format", "json", ...args], env)
      expect(Exit.isSuccess(r.exit), Exit.isFailure(r.exit) ? Cause.pretty(r.exit.cause) : "").toBe(true)
      return (JSON.parse(r.stdout) as Array<{ account: string }>).map((f) => f.account).sort()
    }
    // Issued above: two of @elonmusk (without and with the other's events), one of @other_acct.
    expect(await listed([])).toEqual(["elonmusk", "elonmusk", "other_acct"])
    // A listing's default is every account, not MUSKTRACKER_ACCOUNT.
    expect(await listed([], { MUSKTRACKER_ACCOUNT: "other_acct" })).toEqual(["elonmusk", "elonmusk", "other_acct"])
    expect(await listed(["--account", "@Other_Acct"])).toEqual(["other_acct"])
    expect(await listed(["--account", "nobody_here"])).toEqual([])
    const table = await cliRun(["forecast", "list"])
    expect(table.stdout.split("\n")[0]).toMatch(/^forecast_id +account +issued_at/)
    expect(table.stdout).toMatch(/ @other_acct /)
    const none = await cliRun(["forecast", "list", "--account", "nobody_here"])
    expect(none.stdout.trim()).toBe("no forecasts for @nobody_here yet: run `musktracker forecast --account nobody_here --horizon 7d`")
    expect(await failure(["forecast", "list", "--account", "bad-dash"])).toEqual({
      code: 2,
      line: '--account "bad-dash" is not an X handle (1–15 letters, digits or underscores, with or without @)'
    })
  }, 120_000)

  it("counts' summary line is singular for one hour and one tweet, plural otherwise", async () => {
    const perHour = new Map<number, number>()
    for (const r of other) perHour.set(hourFloor(r.createdAt), (perHour.get(hourFloor(r.createdAt)) ?? 0) + 1)
    const lonely = [...perHour].find(([, n]) => n === 1)![0]
    const summary = async (from: number, to: number) => {
      const r = await cliRun(["counts", "--hourly", "--account", "other_acct", "--from", new Date(from).toISOString(), "--to", new Date(to).toISOString()])
      expect(Exit.isSuccess(r.exit), Exit.isFailure(r.exit) ? Cause.pretty(r.exit.cause) : "").toBe(true)
      return r.stdout.trim().split("\n").at(-1)
    }
    expect(await summary(lonely, lonely + HOUR_MS)).toBe("1 hour, 1 tweet (post, reply, quote, retweet)")
    const around = [lonely - HOUR_MS, lonely, lonely + HOUR_MS].reduce((n, h) => n + (perHour.get(h) ?? 0), 0)
    expect(await summary(lonely - HOUR_MS, lonely + 2 * HOUR_MS)).toBe(`3 hours, ${around} tweet${around === 1 ? "" : "s"} (post, reply, quote, retweet)`)
  }, 60_000)

  it("counts, features show and report refuse an account the store has never seen (exit 1), naming the known ones", async () => {
    for (const args of [
      ["counts", "--account", "Typo_Acct"],
      ["features", "show", "--account", "typo_acct", "--from", "2025-01-05T00:00:00Z", "--to", "2025-01-05T02:00:00Z"],
      ["report", "--account", "typo_acct", "--out", join(root, "typo.html")]
    ]) {
      const f = await failure(args)
      expect(f, args.join(" ")).toEqual({ code: 1, line: "the store knows no account @typo_acct (no tweet, ingest run or curated event of it); accounts in the store: @elonmusk, @other_acct" })
    }
    expect(existsSync(join(root, "typo.html"))).toBe(false)
  }, 60_000)

  it("a bad --account or MUSKTRACKER_ACCOUNT gets one line and exit 2, and nothing is written", async () => {
    const before = await lastPosition()
    for (const args of [
      ["counts", "--account", "not a handle"],
      ["forecast", "--account", "way_too_long_for_x_handles"],
      ["train", "--account", "bad-dash"],
      ["import", SHARED_CSV, "--account", ""],
      ["report", "--account", "@"],
      ["regimes", "detect", "--account", "a,b"]
    ]) {
      const f = await failure(args)
      expect(f.code, args.join(" ")).toBe(2)
      expect(f.line, args.join(" ")).toMatch(/^--account ".*" is not an X handle/)
      expect(f.line.split("\n")).toHaveLength(1)
    }
    const env = await failure(["counts"], { MUSKTRACKER_ACCOUNT: "no spaces please" })
    expect(env).toEqual({ code: 2, line: 'MUSKTRACKER_ACCOUNT "no spaces please" is not an X handle (1–15 letters, digits or underscores, with or without @)' })
    const flag = await failure(["forecast", "--account", "bad-dash"])
    expect(flag.line).toBe('--account "bad-dash" is not an X handle (1–15 letters, digits or underscores, with or without @)')
    expect(await lastPosition()).toBe(before)
  }, 120_000)
})
