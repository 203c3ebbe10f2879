/**
 * A store for read-model tests: migrated SQL database (in-memory PGlite, or a throwaway PostgreSQL
 * database) with the SQL event store on it, held by one ManagedRuntime for the whole test file, plus a
 * helper appending hand-made catalog events and one capturing console output.
 */
import { Console, Effect, Layer, ManagedRuntime } from "effect"
import { sql } from "kysely"
import { afterAll, beforeAll } from "vitest"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { SqlDatabase } from "../../src/adapters/sql/database"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { SqlDatabasePostgres } from "../../src/adapters/sql/postgres"
import type { AnyEventDefinition } from "../../src/domain/events/codec"
import { ExpectedRevision } from "../../src/domain/events/envelope"
import { EventStore } from "../../src/domain/ports/event-store"
import { createTempDatabase, type TempDatabase } from "../support/postgres"
import { capturingConsole, type CapturedOutput } from "../support/cli"

export type Backend = "pglite" | "postgres"

const layerFor = (backend: Backend, url?: string) =>
  Layer.provideMerge(EventStoreSql, migrated(backend === "pglite" ? SqlDatabasePglite("memory://") : SqlDatabasePostgres(url!)))

export type StoreRuntime = ManagedRuntime.ManagedRuntime<SqlDatabase | EventStore, unknown>

/** Registers hooks that open a fresh migrated store for the calling describe block; `run` executes effects on it. */
export const useStore = (backend: Backend) => {
  let runtime: StoreRuntime | undefined
  let pg: TempDatabase | undefined
  beforeAll(async () => {
    if (backend === "postgres") pg = await createTempDatabase()
    runtime = ManagedRuntime.make(layerFor(backend, pg?.url)) as StoreRuntime
    await runtime.runPromise(Effect.void)
  }, 60_000)
  afterAll(async () => {
    await runtime?.dispose()
    await pg?.drop()
  })
  return {
    run: <A, E>(effect: Effect.Effect<A, E, SqlDatabase | EventStore>): Promise<A> => {
      if (!runtime) throw new Error("store not open yet")
      return runtime.runPromise(effect)
    },
    runExit: <A, E>(effect: Effect.Effect<A, E, SqlDatabase | EventStore>) => {
      if (!runtime) throw new Error("store not open yet")
      return runtime.runPromiseExit(effect)
    }
  }
}

/** Appends each payload as its definition's event (stream from the definition, expected revision any). */
export const appendEvents = (items: ReadonlyArray<{ readonly def: AnyEventDefinition; readonly data: unknown }>, codeVersion = "test@1") =>
  Effect.gen(function* () {
    const store = yield* EventStore
    for (const { def, data } of items) {
      const { stream, event } = def.toAppend(data, { codeVersion })
      yield* store.append(stream, [event], ExpectedRevision.any)
    }
  })

/** Every row of a table as JSON, sorted: for comparing a table before and after a rebuild. */
export const tableSnapshot = (table: string) =>
  Effect.gen(function* () {
    const { db } = yield* SqlDatabase
    const r = yield* Effect.promise(() => sql<{ r: unknown }>`select to_jsonb(t)::text as r from ${sql.table(table)} t`.execute(db))
    return r.rows.map((row) => String(row.r)).sort()
  })

/** Runs one SQL statement on the store's database (tests tamper with read models this way). */
export const sqlExec = (statement: string) =>
  Effect.gen(function* () {
    const { db } = yield* SqlDatabase
    yield* Effect.promise(() => sql.raw(statement).execute(db))
  })

/** Runs `effect` through `run` with its Console recorded; returns what it printed (one string per call) and its result. */
export const captureLog = async <A, E, R>(run: (effect: Effect.Effect<A, E, R>) => Promise<A>, effect: Effect.Effect<A, E, R>): Promise<{ readonly lines: string[]; readonly result: A }> => {
  const output: CapturedOutput = { out: [], err: [], logs: [] }
  const result = await run(Console.withConsole(effect, capturingConsole(output)))
  return { lines: output.out, result }
}
