/**
 * The tamper-evident log on PGlite and PostgreSQL: every appended event carries its hash-chain link;
 * editing, deleting, reordering and inserting an event with SQL is caught at the right position by
 * `audit verify` (verifyLog), also after every projection was rebuilt from the tampered log; a store
 * migrated from before the chain gets the same links as one built with it.
 */
import { Effect, Stream } from "effect"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { nodeSha256 } from "../../../src/adapters/sha256"
import { migrateUp } from "../../../src/adapters/sql/migrator"
import { makeChainVerifier } from "../../../src/domain/events/chain"
import { sha256Hex } from "../../../src/domain/hash"
import { EventStore } from "../../../src/domain/ports/event-store"
import { verifyLog } from "../../../src/programs/audit/program"
import { projections } from "../../../src/projections/registry"
import { rebuild } from "../../../src/projections/rebuild"
import { appendAll, resetAll, withStore, type Backend, type LogEntry } from "../../projections/support"

const entries: LogEntry[] = Array.from({ length: 40 }, (_, i) => ({
  _tag: "first",
  tweet: { id: String(1_900_000_000_000_000_000n + BigInt(i)), createdAt: Date.UTC(2025, 5, 1) + i * 3_600_000, kind: "post" }
}))

const suite = (backend: Backend) =>
  describe(`hash chain on ${backend}`, () => {
    const store = withStore(backend)
    const fresh = async () => {
      await resetAll(await store.db())
      await store.run(appendAll(entries, 7)) // several transactions: the chain continues across them
    }
    const exec = async (q: string) => sql.raw(q).execute(await store.db())

    it("links every event to its predecessor; Node's SHA-256 and the domain's agree; verify passes", async () => {
      await fresh()
      const events = await store.run(Effect.flatMap(EventStore, (s) => Stream.runCollect(s.readAll())))
      expect([...events].every((e) => typeof e.hash === "string" && e.hash.length === 64)).toBe(true)
      const pure = makeChainVerifier(sha256Hex, { contiguous: true })
      for (const e of events) pure.push(e)
      expect(pure.report().firstBreak).toBeUndefined()
      const r = await store.run(verifyLog)
      expect(r.firstBreak).toBeUndefined()
      expect(r.events).toBe(40)
      expect(r.head).toEqual({ position: 40n, hash: [...events][39]!.hash })
      expect(nodeSha256("abc")).toBe(sha256Hex("abc"))
    })

    it("a store from before the chain gets, by migration 43, exactly the links the event store writes", async () => {
      await fresh()
      const hashes = async () => (await sql<{ hash: string }>`select hash from events order by position`.execute(await store.db())).rows.map((r) => r.hash)
      const written = await hashes()
      // back to the schema before the chain: no hash column, migration 43 not applied
      await exec("alter table events drop column hash")
      await exec("delete from schema_migrations where version = 43")
      const applied = await store.run(migrateUp())
      expect(applied.map((m) => m.version)).toEqual([43])
      expect(await hashes()).toEqual(written)
      expect((await store.run(verifyLog)).firstBreak).toBeUndefined()
    })

    const cases: Array<{ name: string; tamper: string[]; at: bigint; reason: RegExp }> = [
      { name: "an edited payload", tamper: [`update events set data = jsonb_set(data, '{createdAt}', '"2023-06-01T00:00:00Z"') where position = 10`], at: 10n, reason: /does not match/ },
      { name: "a deleted event", tamper: ["delete from events where position = 20"], at: 20n, reason: /position 20 is missing/ },
      {
        name: "two events swapped",
        tamper: [
          "update events set position = 1000000 where position = 30",
          "update events set position = 30 where position = 31",
          "update events set position = 31 where position = 1000000"
        ],
        at: 30n,
        reason: /does not match/
      },
      {
        name: "an inserted event",
        tamper: [
          `insert into events (position, event_id, stream, revision, type, data, metadata, hash)
           select 41, gen_random_uuid(), 'tweet-1', 0, type, data, metadata, hash from events where position = 40`
        ],
        at: 41n,
        reason: /does not match/
      }
    ]
    it.each(cases)("catches $name at its position, also after every projection is rebuilt", async ({ tamper, at, reason }) => {
      await fresh()
      for (const q of tamper) await exec(q)
      const before = await store.run(verifyLog)
      expect(before.firstBreak?.position).toBe(at)
      expect(before.firstBreak?.reason).toMatch(reason)
      for (const p of projections) await store.run(rebuild(p))
      const after = await store.run(verifyLog)
      expect(after.firstBreak).toEqual(before.firstBreak)
    })
  })

suite("pglite")
suite("postgres")
