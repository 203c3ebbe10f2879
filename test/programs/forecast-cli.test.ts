/**
 * The forecast commands through @effect/cli, verbatim, on an embedded store (PGlite, MUSKTRACKER_DATA_DIR)
 * holding the last 12 weeks of the shared data: the seed's three commands, list/show/reproduce, and bad
 * input (one clear line naming the value; exit 2 for usage, 1 otherwise; nothing appended).
 */
import { Command } from "@effect/cli"
import { Cause, Effect, Exit, Layer, ManagedRuntime } from "effect"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { readArchive } from "../../src/adapters/archive/read-archive"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { hourFloor, WEEK_MS } from "../../src/domain/time"
import { errorLine, exitCodeFor, primaryError } from "../../src/programs/cli/cli-errors"
import { forecastCommand } from "../../src/programs/forecast/command"
import { importRows } from "../../src/programs/import/program"
import { withEmbeddedStore } from "../support/embedded-store"
import { withTempDataDir } from "../support/pglite"
import { SHARED_CSV } from "../support/shared-data"
import { runCli, type CliRun } from "../support/cli"

const CSV = SHARED_CSV
const root = withTempDataDir("mt-forecast-cli-")
const dataDir = join(root, "store")

const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands([forecastCommand])), { name: "musktracker", version: "0" })
let lastRun: CliRun | undefined
const exec = async (args: string[]) => {
  lastRun = await runCli(cli, args, { MUSKTRACKER_DATA_DIR: dataDir })
  return lastRun.exit
}
/** Error-stream lines of the last run. */
const warnings = () => (lastRun?.stderr ?? "").split("\n").filter((l) => l.length > 0)

/** Output of one CLI run (Console.log lines). */
const output = async (args: string[]) => {
  const exit = await exec(args)
  expect(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(true)
  return lastRun!.stdout
}

/** Exit code and error line of a failing CLI run, as main.ts would print them. */
const failure = async (args: string[]) => {
  const exit = await exec(args)
  if (Exit.isSuccess(exit)) throw new Error(`expected ${args.join(" ")} to fail`)
  const e = primaryError(exit.cause)
  return { code: exitCodeFor(e), line: errorLine(e) }
}

const lastPosition = () => withEmbeddedStore(dataDir, (s) => s.lastPosition)

beforeAll(async () => {
  const rows = await Effect.runPromise(readArchive(CSV))
  const last = Math.max(...rows.map((r) => r.createdAt))
  const slice = rows.filter((r) => r.createdAt >= hourFloor(last) - 12 * WEEK_MS)
  const rt = ManagedRuntime.make(Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(dataDir))))
  await rt.runPromise(importRows(slice, "elonmusk", "csv slice"))
  await rt.dispose()
}, 120_000)


let firstId = ""

describe("the seed's commands, verbatim", () => {
  it("forecast --horizon 24h: no backtest yet, so the default model, fitted first, and both said", async () => {
    const out = await output(["forecast", "--horizon", "24h"])
    // the data ends 2025-12-31 and the clock is later: the forecast says it starts at the end of the data
    expect(warnings()).toEqual([expect.stringMatching(/^warning: the newest tweet in the store is from 2025-12-31T\S+, \d+ days? ago: this forecast starts at the end of the data .* pass --from/)])
    const m = /^forecast ([0-9a-f-]{36}): ewma_level \(model ([0-9a-f-]{36})\) \[asked: best\]$/m.exec(out)
    expect(m, out).not.toBeNull()
    firstId = m![1]!
    expect(out).toMatch(/note: no completed backtest to choose the best model: using the default ewma_level/)
    expect(out).toMatch(/note: refitted ewma_level on 2025-\S+ \.\. 2026-01-01T00:00:00Z \(model [0-9a-f-]{36}\): no ewma_level model has been fitted yet/)
    expect(out).toMatch(/origin 2026-01-01T00:00:00Z .* window 2026-01-01T00:00:00Z \.\. 2026-01-02T00:00:00Z \(24h\)/)
    expect(out).toMatch(/posts per hour: median \* inside the 10-90% band/)
    expect(out).toMatch(/^2026-01-01T23:00:00Z /m)
    expect(out).toMatch(/^total +\d/m)
  }, 120_000)

  it("forecast --horizon 7d: uses that fit (no refit), a week of daily totals", async () => {
    const out = await output(["forecast", "--horizon", "7d"])
    expect(out).not.toMatch(/refitted/)
    expect(out).toMatch(/window 2026-01-01T00:00:00Z \.\. 2026-01-08T00:00:00Z \(7d\)/)
    expect(out.match(/^2026-01-0\dT00:00:00Z {2}2026-01-0\dT00:00:00Z/gm)).toHaveLength(7)
    // days not yet begun show "—" (not yet observed), never a count of 0
    expect(out.match(/^2026-01-0\dT00:00:00Z {2}2026-01-0\dT00:00:00Z +— /gm)).toHaveLength(7)
  }, 120_000)

  it("forecast --model negative_binomial: the default horizon is 7d; --from on purpose warns about nothing", async () => {
    const noWarning = await output(["forecast", "--model", "seasonal_naive", "--horizon", "6h", "--from", "2025-12-20T00:00:00Z"])
    expect(noWarning).toMatch(/origin 2025-12-20T00:00:00Z/)
    expect(warnings()).toEqual([])
    const out = await output(["forecast", "--model", "negative_binomial"])
    expect(out).toMatch(/^forecast [0-9a-f-]{36}: negative_binomial \(model [0-9a-f-]{36}\)$/m)
    expect(out).toMatch(/\(7d\)/)
  }, 120_000)

  it("json and csv formats carry the whole fan", async () => {
    const json = JSON.parse(await output(["forecast", "--horizon", "6h", "--model", "seasonal_naive", "--format", "json"]))
    expect(json.result.hourly.mean).toHaveLength(6)
    expect(json.members[0].kind).toBe("seasonal_naive")
    const csv = await output(["forecast", "--horizon", "6h", "--model", "seasonal_naive", "--brackets", "<20,20-39,40+", "--format", "csv"])
    const lines = csv.split("\n")
    expect(lines[0]).toBe("section,label,start,end,observed,mean,q05,q10,q25,q50,q75,q90,q95,probability,paths")
    expect(lines.filter((l) => l.startsWith("hour,"))).toHaveLength(6)
    expect(lines.filter((l) => l.startsWith("bracket,"))).toHaveLength(3)
  }, 120_000)
})

describe("list, show, reproduce", () => {
  it("lists, shows and reproduces a forecast", async () => {
    const list = await output(["forecast", "list"])
    expect(list).toContain(firstId)
    const show = await output(["forecast", "show", firstId])
    expect(show).toMatch(new RegExp(`^forecast ${firstId}: ewma_level`))
    expect(show).toMatch(/issued 20\d\d-/)
    const rep = await output(["forecast", "reproduce", firstId])
    expect(rep).toMatch(/identical: \d+ recorded values reproduced exactly/)
  }, 120_000)
})

describe("bad input: one clear line, exit 2 for usage and 1 otherwise, nothing appended", () => {
  it("rejects each bad value by name", async () => {
    const before = await lastPosition()
    const cases: Array<[string[], number, RegExp]> = [
      [["forecast", "--horizon", "7x"], 2, /--horizon "7x" is not <hours>h or <days>d/],
      [["forecast", "--horizon", "0h"], 2, /--horizon "0h" must be at least 1 hour/],
      [["forecast", "--window", "2026-01-01T00:00:00Z"], 2, /--window "2026-01-01T00:00:00Z" is not START\/END/],
      [["forecast", "--window", "2026-01-03T00:00:00Z/2026-01-02T00:00:00Z"], 2, /is not after the start/],
      // A short window far ahead would simulate every hour up to it.
      [["forecast", "--window", "2099-01-01T00:00:00Z/2099-01-08T00:00:00Z"], 2, /^--window ends \d+(\.\d)? days after the forecast origin \S+; forecasts reach at most 60 days ahead$/],
      [["forecast", "--brackets", "0-199,150-219,220+"], 2, /--brackets "0-199,150-219,220\+": 0-199 and 150-219 overlap/],
      [["forecast", "--brackets", "0-199,210-219,220+"], 2, /gap between 0-199 and 210-219/],
      [["forecast", "--brackets", "0-199,219-200,220+"], 2, /"219-200" is reversed/],
      [["forecast", "--model", "prophet"], 2, /--model "prophet" is not one of negative_binomial, hawkes, sarimax, seasonal_naive, poisson_seasonal, ewma_level, nb_local_level, ensemble, best/],
      [["forecast", "--from", "last tuesday"], 2, /--from "last tuesday" is not an ISO 8601 instant/],
      [["forecast", "--horizon", "24h", "--window", "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z"], 2, /choose one of --horizon and --window/],
      [["forecast", "--paths", "5"], 2, /--paths must be between 100 and 100000, got 5/],
      [["forecast", "--count", "likes"], 2, /--count "likes": "likes" is not all, no-replies/],
      [["forecast", "show", "not-an-id"], 2, /"not-an-id" is not a forecast id/],
      [["forecast", "--backtest", "12345"], 2, /--backtest "12345" is not a backtest id/],
      [["forecast", "--backtest", "00000000-0000-4000-8000-000000000000"], 1, /^backtest 00000000-0000-4000-8000-000000000000 is not recorded/],
      [["forecast", "reproduce", "123"], 2, /"123" is not a forecast id/],
      [["forecast", "show", "00000000-0000-4000-8000-000000000000"], 1, /^no forecast with id 00000000-0000-4000-8000-000000000000$/],
      [["forecast", "reproduce", "00000000-0000-4000-8000-000000000000"], 1, /^no forecast with id 00000000-0000-4000-8000-000000000000$/]
    ]
    for (const [args, code, line] of cases) {
      const f = await failure(args)
      expect(f.line, args.join(" ")).toMatch(line)
      expect(f.line).not.toContain("\n")
      expect(f.code, args.join(" ")).toBe(code)
    }
    expect(await lastPosition()).toBe(before)
  }, 120_000)
})
