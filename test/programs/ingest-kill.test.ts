/**
 * Killing `musktracker ingest` for real: the CLI runs as a child process (embedded store in a temp
 * directory, the fake X server on 127.0.0.1) and gets SIGKILL between pages — while it waits for a
 * rate-limit window the server announced after page 2. Running `ingest --backfill-days 7` again then
 * gives exactly the served set, each post once.
 */
import { Command } from "@effect/cli"
import { Cause, Chunk, Effect, Exit, Layer, ManagedRuntime, Stream } from "effect"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { ENDPOINTS } from "../../src/adapters/x-api/client"
import { type FakeXServer, startFakeXServer } from "../../src/adapters/x-api/fake-server"
import { EventStore } from "../../src/domain/ports/event-store"
import { ingestCommand } from "../../src/programs/ingest/command"
import { runAndKillWhen } from "../support/kill"
import { withTempDataDir } from "../support/pglite"
import { expected, makePosts, tweetsOf } from "./ingest-support"
import { runCli } from "../support/cli"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const ELON = "44196397"
const MIN = 60_000
const posts = makePosts(ELON, 350, Date.now() - MIN, 25 * MIN, 7)
const dataDir = join(withTempDataDir("mt-ingest-kill-"), "store")
let limited: FakeXServer
let open: FakeXServer

beforeAll(async () => {
  // Two timeline requests per 2-minute window: after page 2 the CLI waits for the reset.
  limited = await startFakeXServer({ tweets: posts, rateLimit: { [ENDPOINTS.userTweets]: { limit: 2, windowMs: 120_000 } } })
  open = await startFakeXServer({ tweets: posts })
})
afterAll(async () => {
  await limited.close()
  await open.close()
})

const env = (server: FakeXServer) => ({
  X_API_BASE_URL: server.url,
  X_BEARER_TOKEN: server.token,
  MUSKTRACKER_DATA_DIR: dataDir,
  LOG_LEVEL: "info",
  DATABASE_URL: "",
  EVENTSTORE_URL: ""
})

/** Runs the CLI as a child and SIGKILLs it once its output shows page 2 done and a rate-limit wait. */
const runAndKill = () =>
  runAndKillWhen(
    ["--import", "tsx", "src/programs/main.ts", "ingest", "--backfill-days", "7"],
    { cwd: ROOT, env: { ...process.env, ...env(limited) } },
    (output) => /page 2 \(/.test(output) && /waiting .* until the window resets/.test(output)
  )

describe("ingest killed between pages (SIGKILL of the CLI process)", () => {
  it("resumes on the next run with exactly the served set", async () => {
    const killed = await runAndKill()
    expect(killed.signal, killed.output).toBe("SIGKILL")
    expect(killed.output).toMatch(/page 1 \(GET \/2\/users\/:id\/tweets\): 100 posts, 100 new/)
    expect(killed.output).not.toMatch(/page 3 \(/)
    expect(limited.requests.filter((r) => r.endpoint === ENDPOINTS.userTweets)).toHaveLength(2)

    // Run it again (in this process, against a server with no tight window).
    const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands([ingestCommand])), { name: "musktracker", version: "0" })
    const { exit, stdout: out } = await runCli(cli, ["ingest", "--backfill-days", "7"], env(open))
    expect(Exit.isSuccess(exit), Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(true)
    expect(out).toContain("pages: 4; tweets seen: 350; new: 150; already present: 200")

    const rt = ManagedRuntime.make(EventStoreSql.pipe(Layer.provideMerge(migrated(SqlDatabasePglite(dataDir)))))
    try {
      expect(await rt.runPromise(tweetsOf("elonmusk"))).toEqual(expected(posts))
      const all = await rt.runPromise(Effect.flatMap(EventStore, (s) => Stream.runCollect(s.readAll())).pipe(Effect.map(Chunk.toReadonlyArray)))
      expect(all.filter((e) => e.type === "TweetObserved")).toHaveLength(350)
      // The killed run is closed by the next one as interrupted before that one starts.
      expect(all.filter((e) => e.stream === "ingestion-elonmusk").map((e) => e.type)).toEqual([
        "IngestionRunStarted",
        "IngestionPageFetched",
        "IngestionPageFetched",
        "IngestionRunFailed",
        "IngestionRunStarted",
        ...Array(4).fill("IngestionPageFetched"),
        "IngestionRunCompleted"
      ])
      const closed = all.find((e) => e.type === "IngestionRunFailed")!.data as { outcome: string; reason: string; closedBy: string }
      expect(closed.outcome).toBe("interrupted")
      expect(closed.reason).toMatch(/no completion was recorded/)
      expect(closed.closedBy).toBe((all.filter((e) => e.type === "IngestionRunStarted")[1]!.data as { runId: string }).runId)
    } finally {
      await rt.dispose()
    }
  }, 180_000)
})
