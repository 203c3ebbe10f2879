/**
 * `musktracker projections follow` as a long-running process on PostgreSQL: it projects events that
 * another process appends while it runs, and stops cleanly on SIGINT.
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import { spawn } from "node:child_process"
import { join } from "node:path"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePostgres } from "../../src/adapters/sql/postgres"
import { ExpectedRevision } from "../../src/domain/events/envelope"
import { TweetObserved } from "../../src/domain/events/tweet"
import { snowflakeIdAt } from "../../src/domain/ingestion/tweet-id"
import { EventStore } from "../../src/domain/ports/event-store"
import { toIsoUtc } from "../../src/domain/time"
import { createTempDatabase, type TempDatabase } from "../support/postgres"

let db: TempDatabase
let runtime: ManagedRuntime.ManagedRuntime<EventStore, unknown>

beforeAll(async () => {
  db = await createTempDatabase()
  runtime = ManagedRuntime.make(Layer.provide(EventStoreSql, migrated(SqlDatabasePostgres(db.url))))
  await runtime.runPromise(Effect.void)
}, 60_000)
afterAll(async () => {
  await runtime?.dispose()
  await db?.drop()
})

const appendTweets = (n: number, from: number) =>
  runtime.runPromise(
    Effect.gen(function* () {
      const store = yield* EventStore
      for (let i = 0; i < n; i++) {
        const ms = Date.UTC(2025, 5, 1) + (from + i) * 60_000
        const { stream, event } = TweetObserved.toAppend(
          { tweetId: snowflakeIdAt(ms), authorId: "1", account: "elonmusk", createdAt: toIsoUtc(ms), kind: "post", referencedIds: [], observedAt: toIsoUtc(ms), source: "import" },
          { codeVersion: "test" }
        )
        yield* store.append(stream, [event], ExpectedRevision.noStream)
      }
    })
  )

const tweetRows = async (): Promise<number> => {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  try {
    return Number((await client.query("select count(*)::int as n from tweets")).rows[0].n)
  } finally {
    await client.end()
  }
}

const waitFor = async (check: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 200))
  }
  return false
}

describe("projections follow", () => {
  it("applies events appended by another process while it runs, and stops on SIGINT", async () => {
    await appendTweets(5, 0)
    const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "warn" } as NodeJS.ProcessEnv
    delete env.EVENTSTORE_URL
    const child = spawn(process.execPath, [join(process.cwd(), "bin/musktracker.js"), "projections", "follow"], { env, stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (d) => (stderr += String(d)))
    try {
      expect(await waitFor(async () => (await tweetRows().catch(() => 0)) === 5, 60_000), stderr).toBe(true)
      await appendTweets(7, 100)
      expect(await waitFor(async () => (await tweetRows()) === 12, 30_000), stderr).toBe(true)
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
      child.kill("SIGINT")
      const code = await exited
      expect(code).toBe(130)
    }
  }, 120_000)
})
