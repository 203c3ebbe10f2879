/**
 * The count read models and their query helpers against counts computed here, independently, from the
 * first 5,000 rows of the shared CSV appended as TweetObserved events.
 */
import { Console, Effect, Either } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { dailyCountsProjection, hourlyCountsProjection } from "../../src/projections/counts"
import { dailyCounts, hourlyCounts, hourlySeries, tweetInstants, type TweetKind } from "../../src/projections/queries/counts"
import { findProjection, projections } from "../../src/projections/registry"
import { catchUp } from "../../src/projections/runtime"
import { tableShapes } from "../../src/projections/shape"
import { tweetsProjection } from "../../src/projections/tweets"
import { projectionsRebuild, projectionsVerify, VerifyFailed } from "../../src/programs/projections/program"
import { sql } from "kysely"
import { capturingConsole, type CapturedOutput } from "../support/cli"
import { appendAll, csvRows, DAY, HOUR, resetAll, withStore, type Backend, type LogEntry, type Services, type TweetSpec } from "./support"

const N = 5_000

/** Independent bucket counts: a plain loop over the CSV rows. */
const expectedBuckets = (rows: ReadonlyArray<TweetSpec>, width: number, from: number, to: number, kinds?: ReadonlyArray<TweetKind>) => {
  const start = Math.floor(from / width) * width
  const n = Math.ceil((to - start) / width)
  const counts = new Array<number>(n).fill(0)
  for (const r of rows) {
    if (kinds && !kinds.includes(r.kind)) continue
    const i = Math.floor((r.createdAt - start) / width)
    if (r.createdAt >= start && i < n) counts[i]! += 1
  }
  return counts.map((count, i) => ({ bucketStart: start + i * width, count }))
}

export const countsSuite = (backend: Backend) =>
  describe(`count read models on ${backend} (first ${N} CSV rows)`, () => {
    const store = withStore(backend)
    const rows = csvRows(N)
    const entries: LogEntry[] = rows.map((tweet) => ({ _tag: "first", tweet }))
    const first = Math.min(...rows.map((r) => r.createdAt))
    const last = Math.max(...rows.map((r) => r.createdAt))

    beforeAll(async () => {
      await resetAll(await store.db())
      await store.run(appendAll(entries))
      await store.run(catchUp([tweetsProjection, hourlyCountsProjection, dailyCountsProjection]))
    })

    it("the sample is what the test thinks it is", () => {
      expect(rows).toHaveLength(N)
      expect(new Set(rows.map((r) => r.id)).size).toBe(N)
      // The CSV tells only reposts apart: every other row is a "post".
      expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(["post", "retweet"]))
    })

    it("hourly counts of all kinds equal the independent count, empty hours as 0", async () => {
      const from = Math.floor(first / HOUR) * HOUR
      const to = Math.floor(last / HOUR) * HOUR + HOUR
      const got = await store.run(hourlyCounts({ account: "elonmusk", from, to }))
      const want = expectedBuckets(rows, HOUR, from, to)
      expect(got).toEqual(want)
      expect(got.reduce((s, b) => s + b.count, 0)).toBe(N)
      expect(got.some((b) => b.count === 0)).toBe(true)
    })

    it("hourly and daily counts of a chosen set of kinds equal the independent count", async () => {
      for (const kinds of [["post"], ["retweet", "quote"], ["retweet"], ["reply"], []] as TweetKind[][]) {
        const from = first - 5 * HOUR
        const to = last + 2 * DAY
        expect(await store.run(hourlyCounts({ account: "elonmusk", from, to, kinds }))).toEqual(expectedBuckets(rows, HOUR, from, to, kinds))
        expect(await store.run(dailyCounts({ account: "elonmusk", from, to, kinds }))).toEqual(expectedBuckets(rows, DAY, from, to, kinds))
      }
    })

    it("daily counts are UTC days and sum to the sample", async () => {
      const got = await store.run(dailyCounts({ account: "elonmusk", from: first, to: last + 1 }))
      expect(got[0]!.bucketStart % DAY).toBe(0)
      expect(got).toEqual(expectedBuckets(rows, DAY, first, last + 1))
      expect(got.reduce((s, b) => s + b.count, 0)).toBe(N)
    })

    it("an unaligned range starts at the floor of `from`; an empty range is empty", async () => {
      const from = first + 17 * 60_000 + 5_000
      const got = await store.run(hourlyCounts({ account: "elonmusk", from, to: from + 3 * HOUR }))
      expect(got.map((b) => b.bucketStart)).toEqual([0, 1, 2, 3].map((i) => Math.floor(from / HOUR) * HOUR + i * HOUR))
      expect(await store.run(hourlyCounts({ account: "elonmusk", from, to: from }))).toEqual([])
      expect(await store.run(dailyCounts({ account: "elonmusk", from, to: from - 1 }))).toEqual([])
      const series = await store.run(hourlySeries({ account: "elonmusk", from: Math.floor(first / HOUR) * HOUR, to: Math.floor(first / HOUR) * HOUR + 48 * HOUR }))
      expect(series.counts).toHaveLength(48)
      expect(Array.from(series.counts)).toEqual(expectedBuckets(rows, HOUR, series.start, series.start + 48 * HOUR).map((b) => b.count))
    })

    it("tweet instants in a range are the sorted creation times of those tweets", async () => {
      const from = first + 10 * DAY
      const to = from + 15 * DAY
      const want = rows
        .filter((r) => r.createdAt >= from && r.createdAt < to)
        .map((r) => r.createdAt)
        .sort((a, b) => a - b)
      const got = await store.run(tweetInstants({ account: "elonmusk", from, to }))
      expect(got).toBeInstanceOf(Float64Array)
      expect(Array.from(got)).toEqual(want)
      const posts = await store.run(tweetInstants({ account: "elonmusk", from, to, kinds: ["post"] }))
      expect(Array.from(posts)).toEqual(
        rows
          .filter((r) => r.kind === "post" && r.createdAt >= from && r.createdAt < to)
          .map((r) => r.createdAt)
          .sort((a, b) => a - b)
      )
    })

    it("appending the same observations again changes no count", async () => {
      const before = await store.run(dailyCounts({ account: "elonmusk", from: first, to: last + 1 }))
      await store.run(appendAll(entries.slice(0, 500)))
      await store.run(catchUp([tweetsProjection, hourlyCountsProjection, dailyCountsProjection]))
      expect(await store.run(dailyCounts({ account: "elonmusk", from: first, to: last + 1 }))).toEqual(before)
    })

    it("every registered projection has unique name and migrated tables with primary keys", async () => {
      expect(new Set(projections.map((p) => p.name)).size).toBe(projections.length)
      const db = await store.db()
      for (const p of projections) {
        const shapes = await tableShapes(db, undefined, p.tables)
        expect(shapes.map((s) => s.primaryKey.length > 0)).toEqual(p.tables.map(() => true))
      }
    })

    it("programs: verify fails (exit 1) on a tampered row and passes after a rebuild; unknown names are usage errors", async () => {
      const db = await store.db()
      expect(Either.isRight(await store.run(Effect.either(projectionsVerify("daily_counts"))))).toBe(true)
      await sql`update daily_counts set count = count + 1
                where (bucket_start, kind) = (select bucket_start, kind from daily_counts order by 1, 2 limit 1)`.execute(db)
      const failed = await store.run(Effect.either(projectionsVerify("daily_counts")))
      expect(Either.isLeft(failed) && failed.left instanceof VerifyFailed).toBe(true)
      expect(Either.isLeft(failed) ? failed.left.message : "").toMatch(/1 difference in daily_counts/)
      const output: CapturedOutput = { out: [], err: [], logs: [] }
      await store.run(Console.withConsole(projectionsRebuild("daily_counts"), capturingConsole(output)))
      // The summary line, said once (the rest of the output is the log's).
      const summaries = output.out.filter((l) => l.startsWith("rebuilt daily_counts from "))
      expect(summaries, output.out.join("\n")).toHaveLength(1)
      expect(summaries[0]).toMatch(/^rebuilt daily_counts from \d+ events, checkpoint \d+: daily_counts \d+ rows$/)
      expect(Either.isRight(await store.run(Effect.either(projectionsVerify("daily_counts"))))).toBe(true)
      for (const program of [projectionsVerify("nope"), projectionsRebuild("nope")]) {
        const r = await store.run(Effect.either(program as Effect.Effect<unknown, unknown, Services>))
        expect(Either.isLeft(r) && (r.left as { _tag: string })._tag).toBe("UsageError")
        expect(Either.isLeft(r) ? (r.left as Error).message : "").toContain(`unknown projection "nope" (known: tweets, hourly_counts, daily_counts`)
      }
      expect(findProjection("hourly_counts")).toBe(hourlyCountsProjection)
    })
  })
