import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Cause, Effect, Exit, Option } from "effect"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { SqlDatabase, SqlError } from "../../../src/adapters/sql/database"
import { LOCK_FILE, SqlDatabasePglite } from "../../../src/adapters/sql/pglite"
import { withTempDataDir } from "../../support/pglite"

const root = withTempDataDir("mt-pglite-lock-")
const ping = Effect.flatMap(SqlDatabase, ({ db }) => Effect.promise(() => sql<{ n: number }>`select 1 as n`.execute(db)))

describe("PGlite data directory lock", () => {
  it("refuses a second open while the first is open, and allows it after close", async () => {
    const dir = join(root, "a")
    const exit = await Effect.runPromiseExit(
      Effect.provide(Effect.provide(ping, SqlDatabasePglite(dir)), SqlDatabasePglite(dir))
    )
    expect(Exit.isFailure(exit)).toBe(true)
    const err = Exit.isFailure(exit) ? Option.getOrThrow(Cause.failureOption(exit.cause)) : undefined
    expect(err).toBeInstanceOf(SqlError)
    expect((err as SqlError).message).toContain(`embedded PGlite at ${dir}: cannot open: already open in this process`)
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
    const ok = await Effect.runPromise(Effect.provide(ping, SqlDatabasePglite(dir)))
    expect(ok.rows[0]!.n).toBe(1)
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
  })

  it("takes over a lock left by a dead process, and refuses one held by a live process", async () => {
    const dir = join(root, "a") // initialised by the test above (if it ran), closed since
    mkdirSync(dir, { recursive: true })
    // A pid that certainly ran and exited.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!
    writeFileSync(join(dir, LOCK_FILE), `${dead}\n`)
    await Effect.runPromise(Effect.provide(ping, SqlDatabasePglite(dir)))
    // pid 1 is always alive.
    writeFileSync(join(dir, LOCK_FILE), "1\n")
    const exit = await Effect.runPromiseExit(Effect.provide(ping, SqlDatabasePglite(dir)))
    expect(Exit.isFailure(exit)).toBe(true)
    expect(String(Cause.squash(Exit.isFailure(exit) ? exit.cause : Cause.empty))).toMatch(/in use by process 1 /)
  })

  it("a stale lock being taken over by a live process is not taken over again; a dead takeover is cleared", async () => {
    const dir = join(root, "a")
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!
    writeFileSync(join(dir, LOCK_FILE), `${dead}\n`)
    // another process (pid 1, alive) is in the middle of taking it over
    writeFileSync(join(dir, `${LOCK_FILE}.takeover`), "1\n")
    const exit = await Effect.runPromiseExit(Effect.provide(ping, SqlDatabasePglite(dir)))
    expect(Exit.isFailure(exit)).toBe(true)
    expect(String(Cause.squash(Exit.isFailure(exit) ? exit.cause : Cause.empty))).toMatch(/in use by process 1 /)
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${dead}\n`) // untouched
    // the takeover's process died too: its leftover is cleared and the lock taken
    writeFileSync(join(dir, `${LOCK_FILE}.takeover`), `${dead}\n`)
    await Effect.runPromise(Effect.provide(ping, SqlDatabasePglite(dir)))
    expect(existsSync(join(dir, `${LOCK_FILE}.takeover`))).toBe(false)
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false) // released on close
  })
})
