/**
 * Embedded PostgreSQL (PGlite, WASM) in a data directory: the default store, no server needed.
 * PGlite is single-connection and single-process: two processes writing one data directory would
 * corrupt it, so opening takes a pid lock file in the directory and refuses while another live process
 * holds it (a lock left by a dead process is taken over).
 */
import type { Database } from "./tables"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer, type Scope } from "effect"
import { Kysely } from "kysely"
import { PGliteDialect } from "kysely-pglite-dialect"
import { oneLine } from "./errors"
import { SqlDatabase, SqlError, type SqlDatabaseService } from "./database"

export const LOCK_FILE = "musktracker.pid"

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

const holderOf = (file: string): number | undefined => {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Takes the directory's lock or throws naming the holder; returns the release function. A lock left by
 * a dead process is taken over under a second lock (`.takeover`), so two processes starting together
 * after a crash cannot both remove it and both open the directory: only the takeover's holder removes
 * the stale lock, and the other finds a live holder on its next look.
 */
const lockDirectory = (dir: string): (() => void) => {
  const file = join(dir, LOCK_FILE)
  const takeover = `${file}.takeover`
  const inUse = (holder: number, cause: unknown) =>
    new Error(
      holder === process.pid
        ? "already open in this process"
        : `in use by process ${holder} (stop it first; if no MuskTracker process is running, delete ${file})`,
      { cause }
    )
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" })
      return () => rmSync(file, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
      const holder = holderOf(file)
      if (holder !== undefined && alive(holder)) throw inUse(holder, e)
      // Stale: take it over, one process at a time.
      try {
        writeFileSync(takeover, `${process.pid}\n`, { flag: "wx" })
      } catch (t) {
        if ((t as NodeJS.ErrnoException).code !== "EEXIST") throw t
        const other = holderOf(takeover)
        if (other !== undefined && other !== process.pid && alive(other)) throw inUse(other, t)
        rmSync(takeover, { force: true }) // a takeover that died half-way
        continue
      }
      try {
        // Still the same stale holder? Then nobody else can have replaced it: remove it and try again.
        if (holderOf(file) === holder) rmSync(file, { force: true })
        try {
          writeFileSync(file, `${process.pid}\n`, { flag: "wx" })
          return () => rmSync(file, { force: true })
        } catch (again) {
          if ((again as NodeJS.ErrnoException).code !== "EEXIST") throw again
        }
      } finally {
        rmSync(takeover, { force: true })
      }
    }
  }
  throw new Error(`cannot take the lock ${file}`)
}

/** Opens (creating if absent) the PGlite database in `dataDir` (or `memory://`); closes it when the scope ends. */
export const makePglite = (dataDir: string): Effect.Effect<SqlDatabaseService, SqlError, Scope.Scope> => {
  const target = `embedded PGlite at ${dataDir}`
  return Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        // "memory://" (tests) keeps everything in memory; anything else is a directory, created if absent.
        const inMemory = dataDir.startsWith("memory://")
        let unlock = () => {}
        if (!inMemory) {
          mkdirSync(resolve(dataDir), { recursive: true })
          unlock = lockDirectory(resolve(dataDir))
        }
        try {
          const client = await PGlite.create(inMemory ? dataDir : resolve(dataDir))
          const db = new Kysely<Database>({ dialect: new PGliteDialect(client) })
          return { service: { kind: "pglite", describe: target, db } as SqlDatabaseService, unlock }
        } catch (e) {
          unlock()
          throw e
        }
      },
      catch: (cause) => new SqlError({ target, reason: `cannot open: ${oneLine(cause)}`, cause })
    }),
    // Kysely's destroy closes the PGlite client, flushing the data directory; then the lock goes.
    ({ service, unlock }) => Effect.promise(() => service.db.destroy()).pipe(Effect.ensuring(Effect.sync(unlock)), Effect.orDie)
  ).pipe(Effect.map(({ service }) => service))
}

export const SqlDatabasePglite = (dataDir: string): Layer.Layer<SqlDatabase, SqlError> =>
  Layer.scoped(SqlDatabase, makePglite(dataDir))
