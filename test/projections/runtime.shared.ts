/**
 * The projector runtime's guarantees, run against one backend (see runtime.pglite.test.ts and
 * runtime.postgres.test.ts): batch-split invariance, crash safety, rebuild, verify, decoding failures,
 * status, concurrent projectors and follow mode. Oracles are computed in support.ts from the events.
 */
import { Effect, Either, Exit, Fiber } from "effect"
import fc from "fast-check"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { EventDecodeError } from "../../src/domain/events/codec"
import { ExpectedRevision } from "../../src/domain/events/envelope"
import { EventStore } from "../../src/domain/ports/event-store"
import { dailyCountsProjection, hourlyCountsProjection } from "../../src/projections/counts"
import { rebuild } from "../../src/projections/rebuild"
import { catchUp, follow } from "../../src/projections/runtime"
import { projectionStatus } from "../../src/projections/status"
import { tweetsProjection } from "../../src/projections/tweets"
import { verify, verifyAll } from "../../src/projections/verify"
import { formatVerify } from "../../src/programs/projections/program"
import {
  appendAll,
  checkpointsOf,
  snapshotOf,
  dump,
  HOUR,
  observed,
  oracle,
  resetAll,
  toyProjection,
  withStore,
  type Backend,
  type Kind,
  type LogEntry
} from "./support"

const all = [tweetsProjection, hourlyCountsProjection, dailyCountsProjection, toyProjection]

const T0 = Date.UTC(2024, 0, 1)
const kindArb = fc.constantFrom<Kind>("post", "reply", "quote", "retweet")

/** A log of first observations (distinct ids, times within a few days) and some re-observations. */
const logArb = (max: number): fc.Arbitrary<LogEntry[]> =>
  fc
    .array(
      fc.record({
        createdAt: fc.integer({ min: 0, max: 3 * 24 * HOUR }).map((dt) => T0 + dt),
        kind: kindArb,
        again: fc.nat({ max: 5 }),
        which: fc.nat()
      }),
      { maxLength: max }
    )
    .map((specs) => {
      const out: LogEntry[] = []
      specs.forEach((s, i) => {
        const tweet = { id: String(1_700_000_000_000_000_000n + BigInt(i) * 7n), createdAt: s.createdAt, kind: s.kind }
        out.push({ _tag: "first", tweet })
        // Now and then observe an earlier tweet again (revision 1+ of its stream, a different event id).
        if (s.again === 0) out.push({ _tag: "again", tweet: out[s.which % out.length]!.tweet, n: i })
      })
      return out
    })

const lastPosition = (entries: ReadonlyArray<LogEntry>) => BigInt(entries.length)

export const runtimeSuite = (backend: Backend) =>
  describe(`projector runtime on ${backend}`, () => {
    const store = withStore(backend)

    const fresh = async (entries: ReadonlyArray<LogEntry>) => {
      await resetAll(await store.db())
      await store.run(appendAll(entries))
    }

    it("any split of the log into batches gives the tables of a full rebuild and of the oracle", async () => {
      await fc.assert(
        fc.asyncProperty(logArb(24), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }), async (entries, sizes) => {
          await fresh(entries)
          const db = await store.db()
          // Incremental: one batch per catch-up call, of a size drawn from `sizes` in turn.
          for (let i = 0; ; i++) {
            const r = await store.run(catchUp(all, { batchSize: sizes[i % sizes.length]!, maxBatches: 1 }))
            if (r.events === 0) break
            expect(i).toBeLessThan(entries.length + 1)
          }
          const incremental = await dump(db)
          expect(incremental).toEqual(oracle(entries, lastPosition(entries)))
          const cps = await checkpointsOf(db)
          for (const p of all) expect(cps[p.name]).toBe(String(entries.length))
          for (const p of all) {
            const r = await store.run(rebuild(p, { batchSize: 1000 }))
            expect(r.position).toBe(lastPosition(entries))
          }
          expect(await dump(db)).toEqual(incremental)
          expect(await checkpointsOf(db)).toEqual(cps)
        }),
        { numRuns: 12 }
      )
    })

    it("a failure between or inside batches neither loses nor duplicates an event once the projector runs again", async () => {
      type Mode = "commit-hook" | "handler" | "sql" | "stop"
      await fc.assert(
        fc.asyncProperty(
          logArb(24).filter((l) => l.length > 0),
          fc.integer({ min: 1, max: 7 }),
          fc.constantFrom<Mode>("commit-hook", "handler", "sql", "stop"),
          fc.nat(),
          async (entries, batchSize, mode, pick) => {
            await fresh(entries)
            const db = await store.db()
            const failAt = BigInt((pick % entries.length) + 1)
            const failBatch = pick % Math.ceil(entries.length / batchSize)
            // Each failure mode, injected on the first run only.
            const broken = all.map((p) =>
              p.name !== "hourly_counts"
                ? p
                : {
                    ...p,
                    handle: (e: Parameters<typeof p.handle>[0], position: bigint) => {
                      if (mode === "handler" && position === failAt) throw new Error("injected handler failure")
                      const writes = p.handle(e, position)
                      // A row the CHECK constraint refuses: the SQL fails mid-transaction, after other writes.
                      if (mode === "sql" && position === failAt)
                        return [...writes, { _tag: "Increment" as const, table: "hourly_counts", key: { account: "elonmusk", bucket_start: "2024-01-01T00:00:00Z", kind: "bogus" }, by: { count: 1 } }]
                      return writes
                    }
                  }
            )
            const first = await store.run(
              Effect.either(
                catchUp(broken, {
                  batchSize,
                  ...(mode === "stop" ? { maxBatches: failBatch } : {}),
                  ...(mode === "commit-hook"
                    ? {
                        beforeCommit: async (b) => {
                          if (b.index === failBatch) throw new Error("injected abort after writing, before commit")
                        }
                      }
                    : {})
                })
              )
            )
            if (mode !== "stop") expect(Either.isLeft(first)).toBe(true)
            // After the failure: every projection holds exactly the events up to its checkpoint.
            const cps = await checkpointsOf(db)
            const through = BigInt(cps.tweets ?? "0")
            for (const p of all) expect(cps[p.name] ?? "0").toBe(through.toString())
            if (mode === "handler" || mode === "sql") expect(through).toBeLessThan(failAt)
            expect(await dump(db)).toEqual(oracle(entries, through))
            // Run again without the fault: everything, once.
            await store.run(catchUp(all, { batchSize }))
            expect(await dump(db)).toEqual(oracle(entries, lastPosition(entries)))
            const after = await checkpointsOf(db)
            for (const p of all) expect(after[p.name]).toBe(String(entries.length))
          }
        ),
        { numRuns: 16 }
      )
    })

    it("a run interrupted at any moment leaves tables that match their checkpoint; the next run completes them", async () => {
      const entries: LogEntry[] = Array.from({ length: 40 }, (_, i) => ({
        _tag: "first",
        tweet: { id: String(1_860_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * 23 * 60_000, kind: (["post", "reply", "quote", "retweet"] as const)[i % 4] }
      }))
      for (let k = 0; k < 6; k++) {
        await fresh(entries)
        const db = await store.db()
        const fiber = await store.run(Effect.forkDaemon(catchUp(all, { batchSize: 1 + (k % 3) })))
        await new Promise((r) => setTimeout(r, 5 + k * 15))
        const t0 = Date.now()
        await store.run(Fiber.interrupt(fiber))
        expect(Date.now() - t0).toBeLessThan(5_000)
        // A transaction already sent may still commit: checkpoints and tables are read in one snapshot,
        // so the invariant holds whether it lands before or after.
        const { checkpoints: cps, tables } = await snapshotOf(db)
        expect(tables).toEqual(oracle(entries, BigInt(cps.tweets ?? "0")))
        await store.run(catchUp(all))
        expect(await dump(db)).toEqual(oracle(entries, 40n))
      }
    })

    it("rebuild replaces tampered live tables with a replay and keeps the checkpoint", async () => {
      const entries: LogEntry[] = Array.from({ length: 30 }, (_, i) => ({
        _tag: "first",
        tweet: { id: String(1_800_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * 40 * 60_000, kind: (["post", "reply", "quote", "retweet"] as const)[i % 4] }
      }))
      await fresh(entries)
      const db = await store.db()
      await store.run(catchUp(all))
      await sql`update hourly_counts set count = count + 5`.execute(db)
      await sql`insert into hourly_counts (account, bucket_start, kind, count) values ('elonmusk', '2030-01-01T00:00:00Z', 'post', 3)`.execute(db)
      expect((await dump(db)).hourly).not.toEqual(oracle(entries, 30n).hourly)
      const r = await store.run(rebuild(hourlyCountsProjection))
      expect(r).toMatchObject({ projection: "hourly_counts", events: 30, position: 30n })
      expect(await dump(db)).toEqual(oracle(entries, 30n))
      expect((await checkpointsOf(db)).hourly_counts).toBe("30")
      // No scratch schema is left behind.
      const schemas = await sql<{ n: string }>`select count(*)::text as n from pg_namespace where nspname like 'mt\\_%'`.execute(db)
      expect(schemas.rows[0]!.n).toBe("0")
    })

    it("verify passes on untampered tables and reports each tampered row (changed, missing, unexpected)", async () => {
      const entries: LogEntry[] = Array.from({ length: 40 }, (_, i) => ({
        _tag: "first",
        tweet: { id: String(1_810_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * 25 * 60_000, kind: (["post", "reply", "quote", "retweet"] as const)[i % 4] }
      }))
      await fresh(entries)
      const db = await store.db()
      await store.run(catchUp(all))
      for (const p of all) {
        const ok = await store.run(verify(p))
        expect(ok.differences).toBe(0)
        expect(ok.position).toBe(40n)
      }
      // Entry 1 (00:25, a reply) is the only reply of hour 00.
      await sql`update hourly_counts set count = 99 where bucket_start = '2024-01-01T00:00:00Z' and kind = 'reply'`.execute(db)
      await sql`delete from tweets where id = '1810000000000000007'`.execute(db)
      await sql`insert into daily_counts (account, bucket_start, kind, count) values ('elonmusk', '2031-05-05T00:00:00Z', 'quote', 4)`.execute(db)

      const hourly = await store.run(verify(hourlyCountsProjection))
      expect(hourly.differences).toBe(1)
      expect(hourly.tables[0]!.changed).toHaveLength(1)
      expect(hourly.tables[0]!.changed[0]!.live).toMatchObject({ kind: "reply", count: 99 })
      expect(hourly.tables[0]!.changed[0]!.rebuilt).toMatchObject({ kind: "reply", count: 1 })
      const text = formatVerify(hourly)
      expect(text).toMatch(/hourly_counts: 1 difference/)
      expect(text).toMatch(/changed +\(account="elonmusk", bucket_start="2024-01-01T00:00:00\+00:00", kind="reply"\): count: live 99, rebuilt 1/)

      const tweets = await store.run(verify(tweetsProjection))
      expect(tweets.differences).toBe(1)
      expect(tweets.tables[0]!.missing.map((r) => r.id)).toEqual(["1810000000000000007"])
      expect(formatVerify(tweets)).toMatch(/missing +\(id="1810000000000000007"\)/)

      const daily = await store.run(verify(dailyCountsProjection))
      expect(daily.differences).toBe(1)
      expect(daily.tables[0]!.unexpected).toHaveLength(1)
      expect(formatVerify(daily)).toMatch(/unexpected \(account="elonmusk", bucket_start="2031-05-05T00:00:00\+00:00", kind="quote"\)/)

      // verify only reads: the tampering is still there.
      expect((await store.run(verify(hourlyCountsProjection))).differences).toBe(1)
      // All at once (one replay, since every checkpoint is at 40): the same findings, in the order given.
      const together = await store.run(verifyAll(all))
      expect(together.map((r) => [r.projection, r.position, r.differences])).toEqual([
        ["tweets", 40n, 1],
        ["hourly_counts", 40n, 1],
        ["daily_counts", 40n, 1],
        ["toy", 40n, 0]
      ])
      expect(together[1]!.tables).toEqual(hourly.tables)
    })

    it("verify compares at the live checkpoint when the read model lags behind the log", async () => {
      const entries: LogEntry[] = Array.from({ length: 20 }, (_, i) => ({
        _tag: "first",
        tweet: { id: String(1_820_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * HOUR, kind: "post" }
      }))
      await fresh(entries)
      await store.run(catchUp(all, { batchSize: 5, maxBatches: 2 }))
      const r = await store.run(verify(hourlyCountsProjection))
      expect(r.position).toBe(10n)
      expect(r.events).toBe(10)
      expect(r.differences).toBe(0)
      // Projections at different checkpoints: each compared at its own.
      await store.run(catchUp([tweetsProjection]))
      const rs = await store.run(verifyAll([hourlyCountsProjection, tweetsProjection, dailyCountsProjection]))
      expect(rs.map((x) => [x.projection, x.position, x.events, x.differences])).toEqual([
        ["hourly_counts", 10n, 10, 0],
        ["tweets", 20n, 20, 0],
        ["daily_counts", 10n, 10, 0]
      ])
    })

    it("an event that does not decode stops the projector, naming stream, revision and position", async () => {
      const good: LogEntry[] = Array.from({ length: 5 }, (_, i) => ({
        _tag: "first",
        tweet: { id: String(1_830_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * HOUR, kind: "post" }
      }))
      await fresh(good)
      const bad = observed({ id: "1830000000000000099", createdAt: T0, kind: "post" })
      await store.run(
        Effect.flatMap(EventStore, (s) =>
          s.append(bad.stream, [{ ...bad.event, data: { ...(bad.event.data as object), createdAt: "yesterday" } }], ExpectedRevision.noStream)
        )
      )
      const later = observed({ id: "1830000000000000100", createdAt: T0, kind: "reply" })
      await store.run(Effect.flatMap(EventStore, (s) => s.append(later.stream, [later.event], ExpectedRevision.noStream)))
      const r = await store.run(Effect.either(catchUp(all, { batchSize: 2 })))
      expect(Either.isLeft(r)).toBe(true)
      const e = Either.isLeft(r) ? r.left : undefined
      expect(e).toBeInstanceOf(EventDecodeError)
      expect((e as EventDecodeError).stream).toBe("tweet-1830000000000000099")
      expect((e as EventDecodeError).position).toBe(6n)
      expect(e!.message).toMatch(/tweet-1830000000000000099@0 \(global position 6\)/)
      // Batches before the bad event are applied, nothing after it.
      const db = await store.db()
      expect((await checkpointsOf(db)).tweets).toBe("4")
      expect((await dump(db)).tweets).toHaveLength(4)
    })

    it("status reports each checkpoint and its lag", async () => {
      const entries: LogEntry[] = Array.from({ length: 12 }, (_, i) => ({
        _tag: "first",
        tweet: { id: String(1_840_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * HOUR, kind: "quote" }
      }))
      await fresh(entries)
      await store.run(catchUp([tweetsProjection], { batchSize: 5, maxBatches: 1 }))
      await store.run(catchUp([hourlyCountsProjection]))
      const s = await store.run(projectionStatus([tweetsProjection, hourlyCountsProjection, dailyCountsProjection]))
      expect(s.events).toBe(12)
      expect(s.lastPosition).toBe(12n)
      expect(s.projections.map((p) => [p.name, p.checkpoint, p.lag])).toEqual([
        ["tweets", 5n, 7],
        ["hourly_counts", 12n, 0],
        ["daily_counts", 0n, 12]
      ])
      expect(s.projections[2]!.updatedAt).toBeUndefined()
    })

    it("two projectors running at once apply every event exactly once", async () => {
      await fc.assert(
        fc.asyncProperty(logArb(30), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), async (entries, b1, b2) => {
          await fresh(entries)
          await store.run(Effect.all([catchUp(all, { batchSize: b1 }), catchUp(all, { batchSize: b2 })], { concurrency: 2 }))
          expect(await dump(await store.db())).toEqual(oracle(entries, lastPosition(entries)))
        }),
        { numRuns: 6 }
      )
    })

    it("follow mode applies events appended after it started", async () => {
      const entries: LogEntry[] = Array.from({ length: 25 }, (_, i) => ({
        _tag: "first",
        tweet: { id: String(1_850_000_000_000_000_000n + BigInt(i)), createdAt: T0 + i * 17 * 60_000, kind: (["post", "reply", "quote", "retweet"] as const)[i % 4] }
      }))
      await fresh(entries.slice(0, 10))
      const db = await store.db()
      const fiber = await store.run(Effect.forkDaemon(follow(all, { batchSize: 4, flushAfterMs: 20 })))
      await store.run(appendAll(entries.slice(10)))
      const deadline = Date.now() + 20_000
      while (Date.now() < deadline) {
        const cps = await checkpointsOf(db)
        if (all.every((p) => cps[p.name] === "25")) break
        await new Promise((r) => setTimeout(r, 50))
      }
      const exit = await store.run(Fiber.interrupt(fiber))
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(await dump(db)).toEqual(oracle(entries, 25n))
    })
  })
