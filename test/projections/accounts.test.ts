/**
 * The account as a key of the count read models: two accounts' tweets, appended in any interleaving
 * (imported or ingested, some observed twice), give each account exactly its own hourly and daily
 * counts and tweets, as the queries read them, on PGlite and PostgreSQL.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { dailyCountsProjection, hourlyCountsProjection } from "../../src/projections/counts"
import { dailyCounts, dataExtent, hourlyCounts, tweetInstants } from "../../src/projections/queries/counts"
import { catchUp } from "../../src/projections/runtime"
import { tweetsProjection } from "../../src/projections/tweets"
import { verify, verifyAll } from "../../src/projections/verify"
import { rebuildAccount } from "../../src/projections/rebuild"
import { sql } from "kysely"
import { appendAll, DAY, dump, HOUR, oracle, resetAll, withStore, type Backend, type Kind, type LogEntry, type TweetSpec } from "./support"

const ACCOUNTS = ["elonmusk", "other_acct"] as const
const T0 = Date.UTC(2025, 2, 3)
const SPAN_DAYS = 3

const tweetArb = fc.record({
  createdAt: fc.integer({ min: 0, max: SPAN_DAYS * DAY - 1 }).map((dt) => T0 + dt),
  kind: fc.constantFrom<Kind>("post", "reply", "quote", "retweet"),
  source: fc.constantFrom<"api" | "import">("api", "import"),
  twice: fc.boolean()
})

/** Each account's tweets, then the order in which the two lists are merged into one log. */
const scenarioArb = fc
  .record({ a: fc.array(tweetArb, { maxLength: 30 }), b: fc.array(tweetArb, { maxLength: 30 }), order: fc.array(fc.boolean(), { maxLength: 60 }) })
  .map(({ a, b, order }) => {
    const spec = (list: typeof a, account: string, base: bigint) =>
      list.map((t, i): TweetSpec & { twice: boolean } => ({
        id: String(base + BigInt(i) * 11n),
        createdAt: t.createdAt,
        kind: t.kind,
        account,
        source: t.source,
        twice: t.twice
      }))
    const lists = [spec(a, ACCOUNTS[0], 1_900_000_000_000_000_000n), spec(b, ACCOUNTS[1], 1_950_000_000_000_000_000n)]
    const next = [0, 0]
    const log: LogEntry[] = []
    const push = (k: 0 | 1) => {
      const t = lists[k]![next[k]!++]!
      log.push({ _tag: "first", tweet: t })
      // Observed again (by the other source): revision 1 of its stream, which no count takes.
      if (t.twice) log.push({ _tag: "again", tweet: { ...t, source: t.source === "api" ? "import" : "api" }, n: log.length })
    }
    for (const pickB of order) {
      const k = pickB ? 1 : 0
      if (next[k]! < lists[k]!.length) push(k)
    }
    for (const k of [0, 1] as const) while (next[k]! < lists[k]!.length) push(k)
    return { lists, log }
  })

const suite = (backend: Backend) =>
  describe(`account-keyed counts on ${backend}`, () => {
    const store = withStore(backend)
    const projections = [tweetsProjection, hourlyCountsProjection, dailyCountsProjection]

    it("any interleaving of two accounts gives each account exactly its own counts and tweets", async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ lists, log }) => {
          await resetAll(await store.db())
          await store.run(appendAll(log))
          await store.run(catchUp(projections))
          // Every row of the tables, by account: the oracle applies the same events independently.
          const { hourly, daily, tweets } = oracle(log, BigInt(log.length + 1))
          expect(await dump(await store.db())).toMatchObject({ hourly, daily, tweets })
          for (const [k, account] of ACCOUNTS.entries()) {
            const own = lists[k]!
            const hourly = await store.run(hourlyCounts({ account, from: T0, to: T0 + SPAN_DAYS * DAY }))
            expect(hourly).toHaveLength(SPAN_DAYS * 24)
            for (const h of hourly) expect(h.count).toBe(own.filter((t) => t.createdAt >= h.bucketStart && t.createdAt < h.bucketStart + HOUR).length)
            const daily = await store.run(dailyCounts({ account, from: T0, to: T0 + SPAN_DAYS * DAY, kinds: ["post"] }))
            for (const d of daily)
              expect(d.count).toBe(own.filter((t) => t.kind === "post" && t.createdAt >= d.bucketStart && t.createdAt < d.bucketStart + DAY).length)
            const instants = await store.run(tweetInstants({ account, from: T0, to: T0 + SPAN_DAYS * DAY }))
            expect([...instants]).toEqual(own.map((t) => t.createdAt).sort((x, y) => x - y))
            const extent = await store.run(dataExtent(account))
            if (own.length === 0) expect(extent).toBeUndefined()
            else expect(extent).toEqual({ first: Math.min(...own.map((t) => t.createdAt)), last: Math.max(...own.map((t) => t.createdAt)) })
          }
          // A rebuild from the log agrees with what was projected.
          for (const r of await store.run(verifyAll(projections))) expect(r.differences).toBe(0)
        }),
        { numRuns: backend === "pglite" ? 8 : 15 }
      )
    }, 240_000)

    it("an account with no tweets reads as zeros, not as another account's", async () => {
      await resetAll(await store.db())
      const log: LogEntry[] = [{ _tag: "first", tweet: { id: "1900000000000000001", createdAt: T0 + 5 * 60_000, kind: "post", account: "elonmusk" } }]
      await store.run(appendAll(log))
      await store.run(catchUp(projections))
      expect((await store.run(hourlyCounts({ account: "nobody", from: T0, to: T0 + HOUR })))[0]!.count).toBe(0)
      expect((await store.run(hourlyCounts({ account: "elonmusk", from: T0, to: T0 + HOUR })))[0]!.count).toBe(1)
      expect(await store.run(dataExtent("nobody"))).toBeUndefined()
    })
    it("verify and rebuild per account: one account's tampered rows are found and replaced, the other's left alone", async () => {
      await resetAll(await store.db())
      const log: LogEntry[] = [
        ...Array.from({ length: 12 }, (_, i): LogEntry => ({ _tag: "first", tweet: { id: String(1_900_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * 20 * 60_000, kind: "post", account: "elonmusk" } })),
        ...Array.from({ length: 8 }, (_, i): LogEntry => ({ _tag: "first", tweet: { id: String(1_950_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * 30 * 60_000, kind: "reply", account: "other_acct" } }))
      ]
      await store.run(appendAll(log))
      await store.run(catchUp(projections))
      const db = await store.db()
      await sql`update hourly_counts set count = count + 10 where account = 'other_acct'`.execute(db)
      await sql`update hourly_counts set count = count + 1 where account = 'elonmusk' and bucket_start = ${new Date(T0).toISOString()}::timestamptz`.execute(db)
      const differences = async (account?: string) => (await store.run(verify(hourlyCountsProjection, account === undefined ? {} : { account }))).differences
      expect(await differences("other_acct")).toBe(4)
      expect(await differences("elonmusk")).toBe(1)
      expect(await differences("nobody")).toBe(0)
      expect(await differences()).toBe(5)
      const r = await store.run(rebuildAccount(hourlyCountsProjection, "other_acct"))
      expect(r.tables).toEqual([{ table: "hourly_counts", rows: 4 }])
      expect(r.position).toBe(BigInt(log.length))
      expect(await differences("other_acct")).toBe(0)
      // The other account's tampered row is still there: only other_acct's rows were replaced.
      expect(await differences("elonmusk")).toBe(1)
      await store.run(rebuildAccount(hourlyCountsProjection, "elonmusk"))
      expect(await differences()).toBe(0)
    })
  })

suite("pglite")
suite("postgres")
