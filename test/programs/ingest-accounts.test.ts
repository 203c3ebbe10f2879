/**
 * `ingest --account a,b,c` through @effect/cli against the X stand-in on 127.0.0.1: the accounts found
 * are ingested together, taking turns on the shared timeline endpoint; an unknown and a suspended
 * account are named on stderr and skipped without harming the others (exit 1 at the end); each user id
 * is resolved through X once and recorded (AccountResolved); a handle that later names another user
 * is refused with one line and nothing ingested.
 */
import { Command } from "@effect/cli"
import { Cause, Exit, Stream } from "effect"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeXServer, startFakeXServer } from "../../src/adapters/x-api/fake-server"
import { ENDPOINTS } from "../../src/adapters/x-api/endpoints"
import { accountStream } from "../../src/domain/events/account"
import { accountsCommand } from "../../src/programs/accounts/command"
import { errorLine, exitCodeFor, primaryError } from "../../src/programs/cli/cli-errors"
import { ingestCommand } from "../../src/programs/ingest/command"
import { runCli, type CliRun } from "../support/cli"
import { withEmbeddedStore } from "../support/embedded-store"
import { withTempDataDir } from "../support/pglite"
import { DAY, makePosts } from "./ingest-support"

const NOW = Date.now()
const MIN = 60_000
const ELON = { id: "44196397", username: "elonmusk", name: "Elon Musk" }
const FAN = { id: "1234567", username: "Tesla_Fan" }
const GONE = { id: "7654321", username: "gone_acct", suspended: true }
const root = withTempDataDir("mt-ingest-accounts-")
const dataDir = join(root, "store")

// 600 posts each over the last 6 days: several timeline pages per account.
const elonPosts = makePosts(ELON.id, 600, NOW - 10 * MIN, 14 * MIN, 1)
const fanPosts = makePosts(FAN.id, 600, NOW - 12 * MIN, 14 * MIN, 2)
const gonePosts = makePosts(GONE.id, 50, NOW - 30 * MIN, 60 * MIN, 3)

const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands([ingestCommand, accountsCommand])), { name: "musktracker", version: "0" })
let server: FakeXServer
let lastRun: CliRun | undefined
const exec = async (args: ReadonlyArray<string>, on: FakeXServer = server) => {
  lastRun = await runCli(cli, args, { X_API_BASE_URL: on.url, X_BEARER_TOKEN: on.token, MUSKTRACKER_DATA_DIR: dataDir })
  return lastRun.exit
}
const ok = (exit: Exit.Exit<void, unknown>) => expect(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(true)
const failure = (exit: Exit.Exit<void, unknown>) => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = primaryError(exit.cause)
  return { line: errorLine(error), code: exitCodeFor(error) }
}
const accountsJson = async () => {
  ok(await exec(["accounts", "list", "--format", "json"]))
  return JSON.parse(lastRun!.stdout) as Array<{ account: string; tweets: number; last_ingest: { status: string; user_id: string } | null }>
}
const streamLength = (stream: string) => withEmbeddedStore(dataDir, (s) => Stream.runCount(s.readStream(stream)))

beforeAll(async () => {
  server = await startFakeXServer({ tweets: [...elonPosts, ...fanPosts, ...gonePosts], users: [ELON, FAN, GONE] })
})
afterAll(async () => {
  await server.close()
})

describe("ingest --account a,b,c", () => {
  it("ingests the accounts found together, names the unknown and the suspended one, and exits 1", async () => {
    const f = failure(await exec(["ingest", "--account", "elonmusk,@tesla_fan,nobody_here,gone_acct", "--backfill-days", "7"]))
    expect(f).toEqual({ code: 1, line: "2 of 4 accounts not ingested (@nobody_here, @gone_acct; reasons above); the others were ingested" })
    const errors = lastRun!.stderr.split("\n")
    expect(errors).toContain("@nobody_here: not ingested: X has no user @nobody_here")
    expect(errors.find((l) => l.startsWith("@gone_acct: not ingested:"))).toMatch(/suspended/)
    expect(lastRun!.stdout).toMatch(/^ingest @elonmusk \(user 44196397\): backfill/m)
    expect(lastRun!.stdout).toMatch(/^ingest @tesla_fan \(user 1234567\): backfill/m)

    const accounts = await accountsJson()
    expect(accounts.map((a) => [a.account, a.tweets, a.last_ingest?.status, a.last_ingest?.user_id])).toEqual([
      ["elonmusk", elonPosts.length, "completed", ELON.id],
      ["tesla_fan", fanPosts.length, "completed", FAN.id]
    ])
  }, 120_000)

  it("the two accounts took turns on the timeline endpoint (fair sharing of the app's limits)", () => {
    const owners = server.requests.filter((r) => r.endpoint === ENDPOINTS.userTweets && r.status === 200).map((r) => (r.path.includes(ELON.id) ? "elon" : "fan"))
    expect(owners.filter((o) => o === "elon").length).toBeGreaterThanOrEqual(6)
    expect(owners.filter((o) => o === "fan").length).toBeGreaterThanOrEqual(6)
    // Never more than two pages of one account in a row while the other still had pages to fetch.
    const lastElon = owners.lastIndexOf("elon")
    const lastFan = owners.lastIndexOf("fan")
    const both = owners.slice(0, Math.min(lastElon, lastFan) + 1)
    let run = 1
    let longest = 1
    for (let i = 1; i < both.length; i++) {
      run = both[i] === both[i - 1] ? run + 1 : 1
      longest = Math.max(longest, run)
    }
    expect(longest).toBeLessThanOrEqual(2)
  })

  it("ingest runs lists every account's runs with an account column; --account narrows to one", async () => {
    ok(await exec(["ingest", "runs"]))
    const rows = (out: string) => out.split("\n").slice(2).filter((l) => l.trim() !== "").map((l) => l.split(/\s{2,}/))
    const all = rows(lastRun!.stdout)
    expect(lastRun!.stdout.split("\n")[0]).toMatch(/^started\s+account\s+mode\s+status\s+pages\s+seen\s+new\s+cursor\s+reached back to$/)
    expect(all.map((r) => r[1]).sort()).toEqual(["@elonmusk", "@tesla_fan"])
    expect(all.map((r) => [r[2], r[3], r[6]])).toEqual([
      ["backfill", "completed", "600"],
      ["backfill", "completed", "600"]
    ])
    ok(await exec(["ingest", "runs", "--account", "@Tesla_Fan"]))
    expect(rows(lastRun!.stdout).map((r) => r[1])).toEqual(["@tesla_fan"])
    ok(await exec(["ingest", "runs", "--account", "nobody_here"]))
    expect(lastRun!.stdout.trim()).toBe("no ingest run of @nobody_here yet")
  })

  it("each account's X user is resolved once and recorded; later runs add nothing to it", async () => {
    expect(await streamLength(accountStream("elonmusk"))).toBe(1)
    expect(await streamLength(accountStream("tesla_fan"))).toBe(1)
    expect(await streamLength(accountStream("nobody_here"))).toBe(0)
    ok(await exec(["ingest", "--account", "elonmusk,tesla_fan"]))
    expect(await streamLength(accountStream("elonmusk"))).toBe(1)
    expect(await streamLength(accountStream("tesla_fan"))).toBe(1)
  }, 120_000)

  it("a handle that now names another X user is refused with one line, and nothing is ingested", async () => {
    const other = await startFakeXServer({ tweets: makePosts("999", 20, NOW - 5 * MIN, 10 * MIN, 4), users: [{ id: "999", username: "elonmusk" }] })
    try {
      const before = (await accountsJson()).find((a) => a.account === "elonmusk")!.tweets
      const f = failure(await exec(["ingest", "--account", "elonmusk"], other))
      expect(f.code).toBe(1)
      expect(f.line).toBe(
        "@elonmusk was resolved to X user 44196397, but X now says it is user 999 (renamed or re-registered); nothing was ingested: its counts would mix two people's posts. Track the new user under another --account name, or start a new store"
      )
      expect((await accountsJson()).find((a) => a.account === "elonmusk")!.tweets).toBe(before)
      expect(other.requests.filter((r) => r.endpoint === ENDPOINTS.userTweets)).toHaveLength(0)
    } finally {
      await other.close()
    }
  }, 120_000)

  it("within 7 days, every post of each account is counted once", async () => {
    const accounts = await accountsJson()
    const within = (posts: ReadonlyArray<{ ms: number }>) => posts.filter((p) => p.ms >= NOW - 7 * DAY).length
    expect(accounts.find((a) => a.account === "elonmusk")!.tweets).toBe(within(elonPosts))
    expect(accounts.find((a) => a.account === "tesla_fan")!.tweets).toBe(within(fanPosts))
  })
})
