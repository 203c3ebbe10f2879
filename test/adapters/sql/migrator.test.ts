import { Effect, Exit, Layer, ManagedRuntime, Cause, Option } from "effect"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { SqlDatabase, SqlError } from "../../../src/adapters/sql/database"
import { MigrationError, MigrationRefused, migrateDown, migrateUp, migrationStatus } from "../../../src/adapters/sql/migrator"
import { execAll, migrations, type Migration } from "../../../src/adapters/sql/migrations/index"
import { SqlDatabasePglite } from "../../../src/adapters/sql/pglite"
import { SqlDatabasePostgres } from "../../../src/adapters/sql/postgres"
import { withTempDatabase } from "../../support/postgres"
import { withTempDataDir } from "../../support/pglite"

const tableExists = (name: string) =>
  Effect.flatMap(SqlDatabase, ({ db }) =>
    Effect.promise(() => sql<{ t: string | null }>`select to_regclass(${name})::text as t`.execute(db))
  ).pipe(Effect.map((r) => r.rows[0]?.t != null))

const migrationRows = Effect.flatMap(SqlDatabase, ({ db }) =>
  Effect.promise(() => sql<{ version: number }>`select version from schema_migrations order by version`.execute(db))
).pipe(Effect.map((r) => r.rows.map((x) => Number(x.version))))

const allVersions = migrations.map((m) => m.version)

const suite = (name: string, layer: () => Layer.Layer<SqlDatabase, SqlError>) =>
  describe(`migrator on ${name}`, () => {
    let rt: ManagedRuntime.ManagedRuntime<SqlDatabase, SqlError>
    beforeAll(() => {
      rt = ManagedRuntime.make(layer())
    })
    afterAll(() => rt.dispose())
    const run = <A, E>(e: Effect.Effect<A, E, SqlDatabase>) => rt.runPromise(e)

    it("status on an empty database lists everything as pending and creates nothing", async () => {
      const s = await run(migrationStatus())
      expect(s.applied).toEqual([])
      expect(s.pending.map((p) => p.version)).toEqual(allVersions)
      expect(s.current).toBe(0)
      expect(await run(tableExists("schema_migrations"))).toBe(false)
    })

    it("up applies every migration in order; up twice is a no-op", async () => {
      const first = await run(migrateUp())
      expect(first.map((m) => m.version)).toEqual(allVersions)
      expect(await run(tableExists("events"))).toBe(true)
      expect(await run(tableExists("projection_checkpoints"))).toBe(true)
      const before = await run(migrationStatus())
      const second = await run(migrateUp())
      expect(second).toEqual([])
      const after = await run(migrationStatus())
      expect(after).toEqual(before)
      expect(await run(migrationRows)).toEqual(allVersions)
    })

    it("status shows applied migrations with timestamps and no pending", async () => {
      const s = await run(migrationStatus())
      expect(s.pending).toEqual([])
      expect(s.applied.map((a) => [a.version, a.name, a.known])).toEqual(migrations.map((m) => [m.version, m.name, true]))
      for (const a of s.applied) {
        expect(a.appliedAt).toBeInstanceOf(Date)
        expect(Math.abs(Date.now() - a.appliedAt.getTime())).toBeLessThan(10 * 60_000)
      }
      expect(s.current).toBe(Math.max(...allVersions))
    })

    it("down reverts the last migration, and `to` reverts down to a version", async () => {
      const last = migrations[migrations.length - 1]!
      const reverted = await run(migrateDown())
      expect(reverted).toEqual([{ version: last.version, name: last.name }])
      const s = await run(migrationStatus())
      expect(s.pending.map((p) => p.version)).toEqual([last.version])
      expect(await run(tableExists("projection_checkpoints"))).toBe(last.version !== 2)

      const all = await run(migrateDown({ to: 0 }))
      expect(all.map((m) => m.version)).toEqual(allVersions.slice(0, -1).reverse())
      expect(await run(tableExists("events"))).toBe(false)
      expect(await run(migrationRows)).toEqual([])
      expect(await run(migrateDown())).toEqual([])

      expect((await run(migrateUp())).map((m) => m.version)).toEqual(allVersions)
    })

    it("down never deletes recorded events: reverting the log's migration is refused up front, nothing reverted", async () => {
      await run(
        Effect.flatMap(SqlDatabase, ({ db }) =>
          Effect.promise(() =>
            sql`insert into events (position, event_id, stream, revision, type, data, metadata, hash)
                values (1, '00000000-0000-4000-8000-000000000001', 's', 0, 'T', '{}', '{}', 'h')`.execute(db)
          )
        )
      )
      const before = await run(migrationRows)
      const exit = await rt.runPromiseExit(migrateDown({ to: 0 }))
      const err = Exit.isFailure(exit) ? Option.getOrThrow(Cause.failureOption(exit.cause)) : undefined
      expect(err).toBeInstanceOf(MigrationRefused)
      expect((err as MigrationRefused).message).toMatch(/^migrate down: reverting 0001 event_log would delete the 1 recorded events, .*nothing reverted/)
      // Refused before the first revert: every migration still applied.
      expect(await run(migrationRows)).toEqual(before)
      // Down to the log's own version reverts every read model and keeps the event.
      const reverted = await run(migrateDown({ to: 1 }))
      expect(reverted.map((m) => m.version)).toEqual(allVersions.filter((v) => v > 1).reverse())
      expect(await run(migrationRows)).toEqual([1])
      const count = await run(Effect.flatMap(SqlDatabase, ({ db }) => Effect.promise(() => sql<{ n: string }>`select count(*)::text as n from events`.execute(db))))
      expect(count.rows[0]!.n).toBe("1")
      expect((await rt.runPromiseExit(migrateDown())).pipe(Exit.isFailure)).toBe(true)
      // Back up (the hash chain is recomputed over the kept event), then emptied for the tests below.
      expect((await run(migrateUp())).map((m) => m.version)).toEqual(allVersions.filter((v) => v > 1))
      await run(Effect.flatMap(SqlDatabase, ({ db }) => Effect.promise(() => sql`delete from events`.execute(db))))
    })

    it("a failing migration rolls back whole and stops the run; earlier ones stay applied", async () => {
      const broken: Migration = {
        version: 9001,
        name: "broken",
        up: (db) => execAll(db, ["create table half_done (x int)", "insert into half_done values (1)", "select * from no_such_table"]),
        down: (db) => execAll(db, ["drop table half_done"])
      }
      const good: Migration = {
        version: 9000,
        name: "good",
        up: (db) => execAll(db, ["create table good_one (x int)"]),
        down: (db) => execAll(db, ["drop table good_one"])
      }
      const after: Migration = {
        version: 9002,
        name: "after",
        up: (db) => execAll(db, ["create table after_broken (x int)"]),
        down: (db) => execAll(db, ["drop table after_broken"])
      }
      const list = [...migrations, broken, good, after]
      const exit = await rt.runPromiseExit(migrateUp(list))
      expect(Exit.isFailure(exit)).toBe(true)
      const err = Exit.isFailure(exit) ? Option.getOrThrow(Cause.failureOption(exit.cause)) : undefined
      expect(err).toBeInstanceOf(MigrationError)
      expect((err as MigrationError).version).toBe(9001)
      expect((err as MigrationError).message).toMatch(/0*9001 broken \(up\) failed and was rolled back: .*no_such_table/)
      expect(await run(tableExists("half_done"))).toBe(false)
      expect(await run(tableExists("good_one"))).toBe(true)
      expect(await run(tableExists("after_broken"))).toBe(false)
      expect(await run(migrationRows)).toEqual([...allVersions, 9000])
      const s = await run(migrationStatus(list))
      expect(s.pending.map((p) => p.version)).toEqual([9001, 9002])
      await run(migrateDown({ to: Math.max(...allVersions) }, list))
      expect(await run(tableExists("good_one"))).toBe(false)
    })

    it("rejects a migration list with duplicate versions before touching the database", async () => {
      const dup: Migration = { version: 1, name: "dup", up: async () => undefined, down: async () => undefined }
      const exit = await rt.runPromiseExit(migrateUp([...migrations, dup]))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(Cause.squash(Exit.isFailure(exit) ? exit.cause : Cause.empty))).toMatch(/share version 1/)
    })
  })

const dataDir = withTempDataDir()
suite("PGlite", () => SqlDatabasePglite(dataDir))

const pgdb = withTempDatabase()
suite("PostgreSQL", () => SqlDatabasePostgres(pgdb.url()))

describe("migrator on PostgreSQL with concurrent runners", () => {
  const db = withTempDatabase()
  it("two runners on separate pools apply each migration exactly once", async () => {
    const one = Effect.provide(migrateUp(), SqlDatabasePostgres(db.url(), { maxConnections: 2 }))
    const [a, b] = await Promise.all([Effect.runPromise(one), Effect.runPromise(one)])
    expect([...a, ...b].map((m) => m.version).sort((x, y) => x - y)).toEqual(allVersions)
    const rows = await Effect.runPromise(Effect.provide(migrationRows, SqlDatabasePostgres(db.url())))
    expect(rows).toEqual(allVersions)
  })
})

describe("unreachable PostgreSQL", () => {
  it("fails with one line naming the URL with the password redacted", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.provide(migrationStatus(), SqlDatabasePostgres("postgres://mt:s3cret@127.0.0.1:1/nowhere", { connectTimeoutMs: 2000 }))
    )
    expect(Exit.isFailure(exit)).toBe(true)
    const err = Exit.isFailure(exit) ? Option.getOrThrow(Cause.failureOption(exit.cause)) : undefined
    expect(err).toBeInstanceOf(SqlError)
    const msg = (err as SqlError).message
    expect(msg).toContain("postgres://mt:***@127.0.0.1:1/nowhere")
    expect(msg).not.toContain("s3cret")
    expect(msg).not.toContain("\n")
    expect(msg).toMatch(/unreachable: .*ECONNREFUSED/)
  })
})
