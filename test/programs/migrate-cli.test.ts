/**
 * `musktracker migrate` through @effect/cli on an embedded store holding a few tweets: `down` reverts read
 * models but never the event log while it holds events (one line, exit 1, nothing reverted), a negative
 * `--to` is a usage error (exit 2), and after a partial revert the next command migrates up again with
 * every event still there.
 */
import { Command } from "@effect/cli"
import { Cause, Exit } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { migrations } from "../../src/adapters/sql/migrations/index"
import { SNOWFLAKE_EPOCH_MS } from "../../src/domain/ingestion/tweet-id"
import { errorLine, exitCodeFor, primaryError } from "../../src/programs/cli/cli-errors"
import { subcommands } from "../../src/programs/commands"
import { runCli } from "../support/cli"
import { withTempDataDir } from "../support/pglite"

const root = withTempDataDir("mt-migrate-cli-")
const env = { MUSKTRACKER_DATA_DIR: join(root, "store") }
const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands(subcommands)), { name: "musktracker", version: "0" })

const ok = async (args: string[]) => {
  const r = await runCli(cli, args, env)
  expect(Exit.isSuccess(r.exit), Exit.isFailure(r.exit) ? Cause.pretty(r.exit.cause) : "").toBe(true)
  return r.stdout
}
const failure = async (args: string[]) => {
  const r = await runCli(cli, args, env)
  if (Exit.isSuccess(r.exit)) throw new Error(`expected ${args.join(" ")} to fail`)
  const e = primaryError(r.exit.cause)
  return { code: exitCodeFor(e), line: errorLine(e) }
}
const events = async () => (JSON.parse(await ok(["status", "--format", "json"])) as { events: number }).events

describe("migrate down on a store with events", () => {
  it("reverts read models, refuses to revert the log, and a negative --to is a usage error", async () => {
    const csv = join(root, "three.csv")
    // Snowflake ids minted at their created_at (2025-06-01T00:00:0Ns).
    const rows = [0, 1, 2].map((i) => {
      const ms = Date.UTC(2025, 5, 1, 0, 0, i)
      return `${(BigInt(ms - SNOWFLAKE_EPOCH_MS) << 22n).toString()},${new Date(ms).toISOString()},post`
    })
    writeFileSync(csv, ["tweet_id,created_at,kind", ...rows].join("\n") + "\n")
    await ok(["import", csv])
    const before = await events()
    expect(before).toBeGreaterThanOrEqual(3)
    const versions = migrations.map((m) => m.version)

    expect(await failure(["migrate", "down", "--to", "-1"])).toEqual({ code: 2, line: "--to must be a version of 0 or more (0 reverts every migration), got -1" })
    const refused = await failure(["migrate", "down", "--to", "0"])
    expect(refused.code).toBe(1)
    expect(refused.line).toBe(
      `migrate down: reverting 0001 event_log would delete the ${before} recorded events, which nothing can rebuild; refused, nothing reverted (revert to version 1 or above, or start over in a new data directory or database)`
    )
    const status = await ok(["migrate", "status"])
    expect(status).toContain(`current version: ${Math.max(...versions)}`)
    expect(status).toContain("no pending migrations")

    const reverted = (await ok(["migrate", "down", "--to", "1"])).split("\n")
    expect(reverted).toHaveLength(versions.length - 1)
    expect(reverted.at(-1)).toBe("reverted 0002 projection_checkpoints")
    // The next command migrates up again (embedded start-up), rebuilds the read models from the log, and finds every event.
    expect(await events()).toBe(before)
    const counts = JSON.parse(await ok(["counts", "--daily", "--from", "2025-06-01", "--to", "2025-06-02", "--format", "json"])) as Array<{ count: number }>
    expect(counts.reduce((s, b) => s + b.count, 0)).toBe(3)
  }, 120_000)
})
