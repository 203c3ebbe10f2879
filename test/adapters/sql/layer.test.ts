import { Effect, Layer, Option } from "effect"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { AppConfigFrom } from "../../../src/adapters/config"
import { SqlDatabase } from "../../../src/adapters/sql/database"
import { SqlDatabaseLive } from "../../../src/adapters/sql/layer"
import { withTempDatabase } from "../../support/postgres"
import { withTempDataDir } from "../../support/pglite"
import { existsSync } from "node:fs"
import { join } from "node:path"

const probe = Effect.gen(function* () {
  const { kind, describe, db } = yield* SqlDatabase
  const r = yield* Effect.promise(() => sql<{ n: number }>`select 41 + 1 as n`.execute(db))
  return { kind, describe, n: Number(r.rows[0]!.n) }
})

describe("SqlDatabaseLive", () => {
  const dir = withTempDataDir()
  const pg = withTempDatabase()

  it("uses embedded PGlite in the data directory when DATABASE_URL is absent", async () => {
    const dataDir = join(dir, "nested", "store")
    const r = await Effect.runPromise(
      Effect.provide(probe, SqlDatabaseLive.pipe(Layer.provide(AppConfigFrom({ databaseUrl: Option.none(), dataDir }))))
    )
    expect(r).toEqual({ kind: "pglite", describe: `embedded PGlite at ${dataDir}`, n: 42 })
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true)
  })

  it("uses PostgreSQL when DATABASE_URL is set", async () => {
    const r = await Effect.runPromise(
      Effect.provide(probe, SqlDatabaseLive.pipe(Layer.provide(AppConfigFrom({ databaseUrl: Option.some(pg.url()) }))))
    )
    expect(r.kind).toBe("postgres")
    expect(r.describe).toContain(new URL(pg.url()).pathname)
    expect(r.n).toBe(42)
  })
})
