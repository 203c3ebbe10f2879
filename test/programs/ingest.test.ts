/**
 * `ingest` end to end against the fake X server on 127.0.0.1 and a real embedded store (PGlite):
 * backfill through injected 429s, 503s, time-outs and a dropped connection; idempotent re-runs and
 * overlapping windows; incremental runs from the last completed cursor; a run stopped at every write
 * and resumed; the 3,200 cap (shrunk to 100 on the server) with recent search and the import pointer;
 * partial errors kept; bad credentials and unknown accounts writing nothing.
 */
import { Cause, Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ENDPOINTS } from "../../src/adapters/x-api/client"
import { type FakeXServer, startFakeXServer } from "../../src/adapters/x-api/fake-server"
import { IngestionPageFetched, IngestionRunCompleted, IngestionRunStarted } from "../../src/domain/events/ingestion"
import { EventStore } from "../../src/domain/ports/event-store"
import { toIsoUtc } from "../../src/domain/time"
import { renderSummary } from "../../src/programs/ingest/program"
import { catchUpProjections } from "../../src/programs/catch-up"
import { runIngest } from "../../src/programs/ingest/run"
import { ingestionRunsProjection } from "../../src/projections/ingestion-runs"
import { ingestionRuns } from "../../src/projections/queries/ingestion"
import { verify } from "../../src/projections/verify"
import { DAY, expected, HOUR, logOf, makePosts, type Served, tweetsOf, user, withEmbeddedStore, withKill } from "./ingest-support"

const NOW = Date.now()
const MIN = 60_000
const USERS = Array.from({ length: 40 }, (_, i) => user(i))
const store = withEmbeddedStore()
let server: FakeXServer

beforeAll(async () => {
  server = await startFakeXServer({ users: USERS })
})
afterAll(async () => {
  await server.close()
})

/** `n` posts of account i, newest a minute ago, every `gapMs`; plus older ones outside a 7-day window. */
const serve = (i: number, n: number, gapMs: number, older = 0): { recent: Served[]; old: Served[] } => {
  const recent = makePosts(USERS[i]!.id, n, NOW - MIN, gapMs, i)
  const old = makePosts(USERS[i]!.id, older, NOW - 8 * DAY, HOUR, 512 + i)
  server.addTweets([...recent, ...old])
  return { recent, old }
}

const timelineRequests = (i: number) => server.requests.filter((r) => r.path === `/2/users/${USERS[i]!.id}/tweets`)

describe("ingest --backfill-days 7 through rate limits, server errors and time-outs", () => {
  it("ends with exactly the served posts of the window, each once, kinds from referenced_tweets", async () => {
    const { recent } = serve(1, 300, 30 * MIN, 20)
    const before = server.requests.length
    server.inject.rateLimited(1, { endpoint: ENDPOINTS.userTweets, resetInSeconds: 1 })
    server.inject.serverError(2, { endpoint: ENDPOINTS.userTweets })
    server.inject.slow(1, 2_500, { endpoint: ENDPOINTS.userTweets })
    server.inject.connectionReset(1, { endpoint: ENDPOINTS.userTweets })
    const summary = await store.run(runIngest({ account: "acct1", backfillDays: 7 }), server)
    expect(server.inject.pending()).toBe(0)
    const outcomes = server.requests.slice(before).map((r) => r.outcome)
    for (const o of ["injected-429", "injected-status", "delayed", "injected-reset"]) expect(outcomes).toContain(o)
    // The client never exceeded a real rate-limit window.
    expect(outcomes).not.toContain("rate-limited")

    expect(await store.local(tweetsOf("acct1"))).toEqual(expected(recent))
    const log = await store.local(logOf("acct1"))
    expect(log.tweets).toHaveLength(300)
    expect(new Set(log.tweets.map((e) => e.stream)).size).toBe(300)
    expect(log.tweets.every((e) => e.revision === 0 && (e.data as { source: string }).source === "api")).toBe(true)
    expect(log.ingestion.map((e) => e.type)).toEqual([
      "IngestionRunStarted",
      "IngestionPageFetched",
      "IngestionPageFetched",
      "IngestionPageFetched",
      "IngestionRunCompleted"
    ])
    const pages = log.ingestion.filter((e) => e.type === IngestionPageFetched.type).map((e) => e.data as typeof IngestionPageFetched.schema.Type)
    expect(pages.map((p) => [p.page, p.resultCount, p.appended])).toEqual([
      [1, 100, 100],
      [2, 100, 100],
      [3, 100, 100]
    ])
    expect(pages[0]!.nextToken).toBeDefined()
    expect(pages[2]!.nextToken).toBeUndefined()
    expect(summary.tweetsSeen).toBe(300)
    expect(summary.tweetsAppended).toBe(300)
    expect(summary.reach.kind).toBe("Complete")
    expect(summary.cursor).toBe(recent[0]!.id)
    expect(summary.plan.mode).toBe("backfill")
    // The TweetObserved events of the run carry its run id as correlation id.
    expect(new Set(log.tweets.map((e) => e.metadata.correlationId))).toEqual(new Set([summary.runId]))
    const lines = renderSummary(summary)
    expect(lines[1]).toBe("pages: 3; tweets seen: 300; new: 300; already present: 0")
    expect(lines[2]).toMatch(/^Reached back to .*: the timeline served every post since then\.$/)
  })

  it("a re-run and overlapping windows append no duplicate fact", async () => {
    const again = await store.run(runIngest({ account: "acct1", backfillDays: 7 }), server)
    expect([again.tweetsSeen, again.tweetsAppended]).toEqual([300, 0])
    const shorter = await store.run(runIngest({ account: "acct1", backfillDays: 2 }), server)
    expect(shorter.tweetsSeen).toBe(96)
    expect(shorter.tweetsAppended).toBe(0)
    const log = await store.local(logOf("acct1"))
    expect(log.tweets).toHaveLength(300)
    expect(log.ingestion.filter((e) => e.type === IngestionRunCompleted.type)).toHaveLength(3)
  })
})

describe("incremental runs", () => {
  it("ask for posts newer than the last completed cursor and append only those", async () => {
    const { recent } = serve(2, 150, 40 * MIN)
    const first = await store.run(runIngest({ account: "acct2", backfillDays: 7 }), server)
    expect(first.cursor).toBe(recent[0]!.id)
    const newer = makePosts(USERS[2]!.id, 30, NOW, 1_000, 100)
    server.addTweets(newer)
    const before = timelineRequests(2).length
    const next = await store.run(runIngest({ account: "@ACCT2" }), server)
    expect(next.plan.mode).toBe("incremental")
    const asked = timelineRequests(2).slice(before)
    expect(asked.map((r) => r.query["since_id"])).toEqual([first.cursor])
    expect(asked[0]!.query["start_time"]).toBeUndefined()
    expect([next.tweetsSeen, next.tweetsAppended]).toEqual([30, 30])
    expect(next.cursor).toBe(newer[0]!.id)
    expect(await store.local(tweetsOf("acct2"))).toEqual(expected([...recent, ...newer]))
    // Nothing new: the cursor stays, nothing is appended.
    const idle = await store.run(runIngest({ account: "acct2" }), server)
    expect([idle.tweetsSeen, idle.tweetsAppended, idle.cursor]).toEqual([0, 0, next.cursor])
  })

  it("a first run without --backfill-days backfills the documented 7 days", async () => {
    const { recent } = serve(3, 120, HOUR, 10)
    const s = await store.run(runIngest({ account: "acct3" }), server)
    expect(s.plan.mode).toBe("backfill")
    expect(s.plan.backfillDays).toBe(7)
    expect(await store.local(tweetsOf("acct3"))).toEqual(expected(recent))
  })

  it("after a run stopped past its newest page, resumes from the completed cursor, not the largest id observed", async () => {
    const { recent } = serve(4, 120, HOUR)
    const first = await store.run(runIngest({ account: "acct4", backfillDays: 7 }), server)
    // Newer than the cursor post (a minute old): one every 100 ms.
    const newer = makePosts(USERS[4]!.id, 250, NOW, 100, 200)
    server.addTweets(newer)
    // Writes: 0 RunStarted, 1 page-1 posts, 2 page-1 event, 3 page-2 posts: stop before 3.
    const stopped = await store.exit(withKill(runIngest({ account: "acct4" }), { at: 3, when: "before" }, { writes: 0 }), server)
    expect(Exit.isInterrupted(stopped)).toBe(true)
    const partial = await store.local(tweetsOf("acct4"))
    expect(partial).toHaveLength(120 + 100)
    const before = timelineRequests(4).length
    const resumed = await store.run(runIngest({ account: "acct4" }), server)
    expect(timelineRequests(4).slice(before)[0]!.query["since_id"]).toBe(first.cursor)
    expect([resumed.tweetsSeen, resumed.tweetsAppended]).toEqual([250, 150])
    expect(await store.local(tweetsOf("acct4"))).toEqual(expected([...recent, ...newer]))
    const runs = await store.local(ingestionRuns({ account: "acct4" }))
    // the stopped run recorded its interruption: no run stays "started"
    expect(runs.map((r) => [r.status, r.pages, r.tweetsAppended])).toEqual([
      ["completed", 3, 150],
      ["interrupted", 1, 100],
      ["completed", 2, 120]
    ])
    expect(runs[0]!.cursor).toBe(newer[0]!.id)
  })
})

describe("a run stopped at any write resumes with nothing lost or duplicated", () => {
  // 150 posts: two pages. Writes: AccountResolved (the account's first run), RunStarted, page-1 posts,
  // page-1 event, page-2 posts, page-2 event, RunCompleted.
  const points = [0, 1, 2, 3, 4, 5, 6].flatMap((at) => (["before", "after"] as const).map((when) => ({ at, when })))
  it.each(points.map((p, k) => ({ ...p, k })))("stopped $when write $at", async ({ at, when, k }) => {
    const i = 10 + k
    const account = `acct${i}`
    const { recent } = serve(i, 150, 50 * MIN, 5)
    const writes = { writes: 0 }
    const stopped = await store.exit(withKill(runIngest({ account, backfillDays: 7 }), { at, when }, writes), server)
    expect(Exit.isInterrupted(stopped), Exit.isFailure(stopped) ? Cause.pretty(stopped.cause) : "succeeded").toBe(true)
    // the write it stopped at, and, when the run had started and not completed, the record of its interruption
    // (a stop at the RunStarted write itself leaves the run open; the next run closes it)
    const completed = at === 6 && when === "after"
    const closes = at >= 2 && !completed
    expect(writes.writes).toBe(at + 1 + (closes ? 1 : 0))
    const ended = (await store.local(logOf(account))).ingestion.map((e) => e.type)
    expect(ended[ended.length - 1]).toBe(
      at === 0 ? undefined : at === 1 ? (when === "before" ? undefined : "IngestionRunStarted") : completed ? "IngestionRunCompleted" : "IngestionRunFailed"
    )
    const again = await store.run(runIngest({ account, backfillDays: 7 }), server)
    expect(await store.local(tweetsOf(account))).toEqual(expected(recent))
    const log = await store.local(logOf(account))
    expect(log.tweets).toHaveLength(150)
    expect(again.cursor).toBe(recent[0]!.id)
    const appendedBefore = at >= 2 && !(at === 2 && when === "before") ? 100 : 0
    const appendedFirst = at >= 4 && !(at === 4 && when === "before") ? 150 : appendedBefore
    expect(again.tweetsAppended).toBe(150 - appendedFirst)
    // And an incremental run afterwards finds nothing to add.
    const idle = await store.run(runIngest({ account }), server)
    expect(idle.tweetsAppended).toBe(0)
    expect((await store.local(logOf(account))).tweets).toHaveLength(150)
  })
})

describe("partial errors", () => {
  it("are kept in the page event and counted, and the page's posts still land", async () => {
    const { recent } = serve(5, 40, HOUR)
    server.inject.partialErrors(1, { endpoint: ENDPOINTS.userTweets })
    const s = await store.run(runIngest({ account: "acct5", backfillDays: 7 }), server)
    expect(s.partialErrors).toBe(1)
    expect(await store.local(tweetsOf("acct5"))).toEqual(expected(recent))
    const page = (await store.local(logOf("acct5"))).ingestion.find((e) => e.type === IngestionPageFetched.type)!
    const errors = (page.data as typeof IngestionPageFetched.schema.Type).partialErrors
    expect(errors).toEqual([
      {
        summary: "Not Found Error: Could not find tweet with referenced_tweets.id: [1].",
        type: "https://api.x.com/2/problems/resource-not-found",
        resourceType: "tweet",
        resourceId: "1",
        parameter: "referenced_tweets.id"
      }
    ])
    expect(renderSummary(s)).toContain("partial errors from X: 1 (logged, and kept in the run's page events)")
  })
})

describe("no token, a wrong token or an unknown account", () => {
  const count = () => store.local(Effect.flatMap(EventStore, (s) => s.count))
  it.each([
    { name: "no token", account: "acct6", token: null, tag: "XApiMissingToken" },
    { name: "a wrong token", account: "acct6", token: "not-the-token", tag: "XApiUnauthorized" },
    { name: "an unknown account", account: "nobody_here", token: undefined, tag: "XApiUserNotFound" }
  ])("$name: fails before anything is written", async ({ account, token, tag }) => {
    serve(6, 10, HOUR)
    const events = await count()
    const requests = server.requests.length
    const exit = await store.exit(runIngest({ account, backfillDays: 7 }), server, token)
    expect(Exit.isFailure(exit)).toBe(true)
    const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
    expect(failure?._tag === "Some" ? (failure.value as { _tag: string })._tag : "none").toBe(tag)
    expect(await count()).toBe(events)
    // At most the one look-up reached X (none without a token).
    expect(server.requests.length - requests).toBe(token === null ? 0 : 1)
  })
})

describe("every run ends", () => {
  it("a run failing after it started records IngestionRunFailed with the reason; the cursor stays; ingest runs shows it", async () => {
    const account = USERS[36]!.username
    serve(36, 120, 10 * MIN)
    // the account is found, then the timeline is forbidden
    server.inject.serverError(1, { endpoint: ENDPOINTS.userTweets, status: 403 })
    const exit = await store.exit(runIngest({ account, backfillDays: 7 }), server)
    expect(Exit.isFailure(exit)).toBe(true)
    const log = (await store.local(logOf(account))).ingestion
    expect(log.map((e) => e.type)).toEqual(["IngestionRunStarted", "IngestionRunFailed"])
    const failed = log[1]!.data as { outcome: string; reason: string; lastCursor?: string }
    expect(failed.outcome).toBe("failed")
    expect(failed.reason).toMatch(/403|forbidden/i)
    expect(failed.lastCursor).toBeUndefined()
    const runs = await store.local(Effect.zipRight(catchUpProjections, ingestionRuns({ account })))
    expect(runs[0]!.status).toBe("failed")
    expect(runs[0]!.failureReason).toMatch(/403|forbidden/i)
    // the next run starts from scratch (no completed cursor) and completes
    const ok = await store.exit(runIngest({ account, backfillDays: 7 }), server)
    expect(Exit.isSuccess(ok)).toBe(true)
    expect((await store.local(Effect.zipRight(catchUpProjections, ingestionRuns({ account }))))[0]!.status).toBe("completed")
  })
})

describe("the 3,200 cap (shrunk to 100 on a second server)", () => {
  let capped: FakeXServer
  beforeAll(async () => {
    capped = await startFakeXServer({ users: USERS, timelineCap: 100 })
  })
  afterAll(async () => {
    await capped.close()
  })

  it("reads the part within 7 days by recent search and says exactly how far back it reached and what needs import", async () => {
    // One post an hour for 10 days, 10 minutes past the hour (none near the 7-day edge).
    const posts = makePosts(USERS[30]!.id, 240, NOW - 10 * MIN, HOUR, 30)
    capped.addTweets(posts)
    const s = await store.run(runIngest({ account: "acct30", backfillDays: 10, timelineCap: 100, capSlack: 5 }), capped)
    expect(s.reach.kind).toBe("Capped")
    expect(s.reach.timelinePosts).toBe(100)
    const oldestTimeline = posts[99]!.ms
    expect(s.reach.gap).toEqual({ start: s.reach.requestedStart, end: toIsoUtc(oldestTimeline) })
    const searched = s.reach.searched!
    expect(searched.end).toBe(toIsoUtc(oldestTimeline))
    const searchStart = Date.parse(searched.start)
    // Recent search reaches 7 days back, kept 5 minutes clear of the edge.
    expect(Math.abs(searchStart - (NOW - 7 * DAY + 5 * MIN))).toBeLessThan(2 * MIN)
    expect(s.reach.reachedBackTo).toBe(searched.start)
    expect(s.reach.needsImport).toEqual({ start: s.reach.requestedStart, end: searched.start })
    expect(Math.abs(Date.parse(s.reach.requestedStart) - (NOW - 10 * DAY))).toBeLessThan(2 * MIN)
    const inReach = posts.filter((p) => p.ms >= searchStart)
    expect(inReach).toHaveLength(168)
    expect(searched.posts).toBe(68)
    expect(s.searchPages).toBe(1)
    expect(await store.local(tweetsOf("acct30"))).toEqual(expected(inReach))
    expect(s.reach.description).toBe(
      `X's user timeline reaches only the 100 most recent posts: this run reached back to ${toIsoUtc(oldestTimeline)}, not ${s.reach.requestedStart}. ` +
        `Recent search covers ${searched.start} .. ${searched.end}. ` +
        `Posts from ${s.reach.requestedStart} to ${searched.start} need an archive: run \`musktracker import FILE\`. ` +
        `Recent search served 68 posts of that span.`
    )
    const search = capped.requests.filter((r) => r.endpoint === ENDPOINTS.searchRecent)
    expect(search.map((r) => [r.query["query"], r.query["start_time"], r.query["end_time"]])).toEqual([
      ["from:acct30", searched.start, searched.end]
    ])
    const done = (await store.local(logOf("acct30"))).ingestion.find((e) => e.type === IngestionRunCompleted.type)!
    expect((done.data as typeof IngestionRunCompleted.schema.Type).reach).toEqual(s.reach)
  })

  it("a 7-day backfill that the cap stops is completed by recent search but for the 5 minutes at its edge", async () => {
    const posts = makePosts(USERS[31]!.id, 150, NOW - 20 * MIN, HOUR, 31)
    capped.addTweets(posts)
    const s = await store.run(runIngest({ account: "acct31", backfillDays: 7, timelineCap: 100, capSlack: 5 }), capped)
    expect(s.reach.kind).toBe("Capped")
    // Search keeps 5 minutes clear of X's 7-day edge: that sliver (empty here) is reported, not assumed.
    const sliver = s.reach.needsImport!
    expect(sliver.start).toBe(s.reach.requestedStart)
    // 5 minutes, plus the time the run took between planning and searching.
    const width = Date.parse(sliver.end) - Date.parse(sliver.start)
    expect(width).toBeGreaterThanOrEqual(5 * MIN)
    expect(width).toBeLessThan(6 * MIN)
    expect(s.reach.searched!.posts).toBe(50)
    expect(await store.local(tweetsOf("acct31"))).toEqual(expected(posts))
    const started = (await store.local(logOf("acct31"))).ingestion.find((e) => e.type === IngestionRunStarted.type)!
    expect((started.data as typeof IngestionRunStarted.schema.Type).backfillDays).toBe(7)
  })
})

describe("the ingestion_runs read model", () => {
  it("replayed from zero in small batches equals the live table built run by run", async () => {
    for (const batchSize of [7, 1000]) {
      const report = await store.local(verify(ingestionRunsProjection, { batchSize }))
      expect(report.events).toBeGreaterThan(100)
      expect(report.differences).toBe(0)
    }
    const runs = await store.local(ingestionRuns({ limit: 1000 }))
    expect(runs.length).toBeGreaterThan(30)
    const capped = runs.find((r) => r.account === "acct30")!
    expect([capped.status, capped.reachKind, capped.needsImport !== null]).toEqual(["completed", "Capped", true])
  })
})

