/**
 * `backtest list` / `backtest show ID` on hand-made backtest events (an embedded store), and through
 * the CLI commands on a data directory for the error paths: a malformed id is a usage error (exit 2),
 * an unknown id one clear line and exit 1.
 */
import { Command } from "@effect/cli"
import { Cause, Exit, Option } from "effect"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { BacktestStarted, BacktestWindowEvaluated } from "../../src/domain/events/backtest"
import { backtestList, backtestShow } from "../../src/programs/backtest/program"
import { backtestCommand } from "../../src/programs/backtest/command"
import { errorLine, exitCodeFor } from "../../src/programs/cli/cli-errors"
import { withTempDataDir } from "../support/pglite"
import { events, ORIGINS, RUN_A, RUN_B, window } from "../projections/backtest-fixtures"
import { appendEvents, captureLog, useStore } from "../projections/read-model-store"
import { runCli } from "../support/cli"
import { catchUpProjections } from "../../src/programs/catch-up"
import { chosenBacktest, referenceBacktestSummaries } from "../../src/projections/queries/backtests"

const RUN_C = "c0ffee00-1234-4567-89ab-cdef01234567"
const RUN_D = "d0d0d0d0-1234-4567-89ab-cdef01234567"
const UNKNOWN = "9a9a9a9a-0000-4000-8000-000000000000"

const failure = (exit: Exit.Exit<unknown, unknown>) => (Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined)

describe("backtest list / show on recorded runs", () => {
  const store = useStore("pglite")

  beforeAll(async () => {
    await store.run(
      appendEvents([
        ...events,
        // a third run, not completed, with two windows of one model
        {
          def: BacktestStarted,
          data: { backtestId: RUN_C, models: ["sarimax"], origins: ORIGINS, trainWindow: "12w", protocol: "custom", paths: 2000, seed: 1, watermark: "5" }
        },
        { def: BacktestWindowEvaluated, data: window(RUN_C, "sarimax", ORIGINS[0]!, 1, 1, 0.5) },
        { def: BacktestWindowEvaluated, data: window(RUN_C, "sarimax", ORIGINS[1]!, 3, 0, null) }
      ])
    )
  }, 120_000)

  it("--backtest ID: a named completed run is the one used; an unknown or unfinished one is refused by name", async () => {
    await store.run(catchUpProjections) // the queries read the read models
    const reference = await store.run(referenceBacktestSummaries("elonmusk"))
    const named = await store.run(referenceBacktestSummaries("elonmusk", RUN_A.toLowerCase()))
    expect(named?.backtest.backtestId).toBe(RUN_A.toLowerCase())
    expect(named?.summaries.map((x) => x.model)).toEqual(reference?.summaries.map((x) => x.model))
    const unknown = failure(await store.runExit(chosenBacktest("elonmusk", UNKNOWN)))
    expect(unknown).toMatchObject({ _tag: "BacktestNotUsable", backtestId: UNKNOWN })
    expect(errorLine(unknown)).toBe(`backtest ${UNKNOWN} is not recorded (see \`musktracker backtest list\`)`)
    expect(failure(await store.runExit(chosenBacktest("elonmusk", RUN_B)))).toMatchObject({ _tag: "BacktestNotUsable", reason: "has not completed" })
  })

  it("list: every run, newest first, with its status", async () => {
    const { lines, result } = await captureLog(store.run, backtestList({ format: "json" }))
    expect(result.map((r) => r.backtestId)).toEqual([RUN_C, RUN_B, RUN_A])
    const json = JSON.parse(lines.join("\n")) as Array<{ id: string; status: string; models: string[]; origins: string[]; protocol: string }>
    expect(json.map((r) => [r.id, r.status, r.protocol])).toEqual([
      [RUN_C, "started", "custom"],
      [RUN_B, "started", "dev"],
      [RUN_A, "completed", "custom"]
    ])
    expect(json[2]!.models).toEqual(["seasonal_naive", "hawkes"])
    expect(json[2]!.origins).toEqual(ORIGINS)

    const table = (await captureLog(store.run, backtestList({ format: "table" }))).lines.join("\n").split("\n")
    expect(table[0]).toMatch(/^id\s+account\s+started\s+models\s+origins\s+protocol\s+train window\s+status$/)
    expect(table.length).toBe(5)
    expect(table[2]).toContain(RUN_C)
    expect(table[2]).toContain("started (2/2 windows)")
    expect(table[4]).toContain("seasonal_naive,hawkes")
    expect(table[4]).toContain("2 (2025-07-07..2025-07-14)")
    expect(table[4]).toMatch(/completed$/)
  })

  it("show of a completed run: the recorded averages in the run's model order, and one row per window", async () => {
    const { lines, result } = await captureLog(store.run, backtestShow(RUN_A.toUpperCase(), { format: "json" }))
    expect(result.partial).toBe(false)
    const json = JSON.parse(lines.join("\n")) as {
      backtest: { id: string; status: string }
      partial: boolean
      summary: Array<Record<string, unknown>>
      windows: Array<Record<string, unknown>>
    }
    expect(json.backtest).toMatchObject({ id: RUN_A, status: "completed" })
    expect(json.summary.map((s) => s.model)).toEqual(["seasonal_naive", "hawkes"])
    expect(json.summary[0]).toMatchObject({ origins: 2, mae_h24: 1.875, mae_h168: 1.5625, mae_week: 50, crps_week: 37.5, cover80_week: 0.5, fit_s: 0.1875 })
    expect(json.summary[1]!.failures).toEqual([{ origin: ORIGINS[1], reason: "hawkes fit failed: branching ratio >= 1" }])
    expect(json.windows.map((w) => [w.model, w.origin, w.mae_week, w.fit_s])).toEqual([
      ["hawkes", ORIGINS[0], 20, 0.0625],
      ["seasonal_naive", ORIGINS[0], 40, 0.125],
      ["seasonal_naive", ORIGINS[1], 80, 0.25]
    ])

    const text = (await captureLog(store.run, backtestShow(RUN_A, { format: "table" }))).lines.join("\n")
    expect(text).toContain(`backtest ${RUN_A} (completed)`)
    expect(text).toContain("protocol custom, 2 origins 2025-07-07..2025-07-14, train window 8w")
    // crps skill of hawkes against seasonal naive: 1 - 12.5/37.5
    expect(text).toMatch(/\nhawkes\s+1\s+1\.88\s+1\.56\s+50\s+12\.50\s+0\.500\s+0\.188\s+0\.667\n/)
    expect(text).toContain("hawkes failed at 1 origin(s): 2025-07-14: hawkes fit failed: branching ratio >= 1")
    expect(text).toMatch(/\nseasonal_naive\s+2025-07-14\s+3\s+2\.50\s+80\s+50\s+no\s+400\s+480\s+0\.250(\n|$)/)
  })

  it("show of a run without BacktestCompleted: averages of the windows so far, flagged", async () => {
    const { lines, result } = await captureLog(store.run, backtestShow(RUN_C, { format: "json" }))
    expect(result.partial).toBe(true)
    const json = JSON.parse(lines.join("\n")) as { partial: boolean; summary: Array<Record<string, unknown>> }
    expect(json.partial).toBe(true)
    // windows at scale 1 and 3: mae_week 40 and 120, crps 25 and 75, inside80 1 and 0, mase 0.5 and none, fit 0.125 and 0.375
    expect(json.summary).toEqual([
      expect.objectContaining({ model: "sarimax", origins: 2, mae_week: 80, crps_week: 50, cover80_week: 0.5, mase_h24: 0.5, fit_s: 0.25, failures: [] })
    ])
    const text = (await captureLog(store.run, backtestShow(RUN_C, { format: "table" }))).lines.join("\n")
    expect(text).toContain("not completed: averages over the windows recorded so far")
  })

  it("show of an unknown id fails with BacktestNotFound (exit 1); a malformed id is a usage error (exit 2)", async () => {
    const unknown = failure(await store.runExit(backtestShow(UNKNOWN, { format: "table" })))
    expect(unknown).toMatchObject({ _tag: "BacktestNotFound", backtestId: UNKNOWN })
    expect(exitCodeFor(unknown)).toBe(1)
    expect(errorLine(unknown)).toBe(`backtest ${UNKNOWN} not found (\`musktracker backtest list\` shows the recorded runs)`)
    const malformed = failure(await store.runExit(backtestShow("12345", { format: "table" })))
    expect(malformed).toMatchObject({ _tag: "UsageError" })
    expect(exitCodeFor(malformed)).toBe(2)
    expect(errorLine(malformed)).toBe('"12345" is not a backtest id (a UUID, as `musktracker backtest list` shows)')
  })

  // Last in this block: it records a run of a second account.
  it("list --account: only that account's runs (the handle normalised); absent: every account's; a bad handle exits 2", async () => {
    await store.run(
      appendEvents([
        {
          def: BacktestStarted,
          data: { backtestId: RUN_D, account: "nasa", models: ["hawkes"], origins: ORIGINS, trainWindow: "8w", protocol: "custom", paths: 2000, seed: 1, watermark: "9" }
        }
      ])
    )
    const ids = async (account?: string) =>
      (await captureLog(store.run, backtestList({ format: "json", account: Option.fromNullable(account) }))).result.map((r) => [r.backtestId, r.account])
    expect(await ids("@NASA")).toEqual([[RUN_D, "nasa"]])
    expect(await ids("elonmusk")).toEqual([RUN_C, RUN_B, RUN_A].map((id) => [id, "elonmusk"]))
    expect((await ids()).map(([id]) => id)).toEqual([RUN_D, RUN_C, RUN_B, RUN_A])
    const none = await captureLog(store.run, backtestList({ format: "table", account: Option.some("nobody") }))
    expect(none.lines).toEqual(["no backtests recorded for @nobody (run `musktracker train --account nobody`)"])
    const bad = failure(await store.runExit(backtestList({ format: "table", account: Option.some("not a handle") })))
    expect(bad).toMatchObject({ _tag: "UsageError" })
    expect(exitCodeFor(bad)).toBe(2)
    expect(errorLine(bad)).toBe('--account "not a handle" is not an X handle (1–15 letters, digits or underscores, with or without @)')
  })
})

describe("backtest commands through the CLI on a data directory", () => {
  const dir = withTempDataDir("mt-backtest-cli-")
  const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands([backtestCommand])), { name: "musktracker", version: "test" })
  const run = async (...args: string[]) => {
    const r = await runCli(cli, args, { MUSKTRACKER_DATA_DIR: join(dir, "store") })
    return { lines: [...r.out], result: r.exit }
  }

  it("list on an empty store, show of an unknown id (exit 1), show of a malformed id (exit 2)", async () => {
    const list = await run("backtest", "list")
    expect(Exit.isSuccess(list.result)).toBe(true)
    expect(list.lines).toEqual(["no backtests recorded (run `musktracker train`)"])
    const unknown = failure((await run("backtest", "show", UNKNOWN)).result)
    expect(unknown).toMatchObject({ _tag: "BacktestNotFound" })
    expect(exitCodeFor(unknown)).toBe(1)
    const malformed = failure((await run("backtest", "show", "latest")).result)
    expect(malformed).toMatchObject({ _tag: "UsageError" })
    expect(exitCodeFor(malformed)).toBe(2)
    const filtered = await run("backtest", "list", "--account", "@NASA")
    expect(filtered.lines).toEqual(["no backtests recorded for @nasa (run `musktracker train --account nasa`)"])
    const bad = failure((await run("backtest", "list", "--account", "no way")).result)
    expect(exitCodeFor(bad)).toBe(2)
  }, 120_000)
})
