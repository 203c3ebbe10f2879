/**
 * A throwaway PostgreSQL database per test file, on the real server (127.0.0.1:5432, trust auth by
 * default; override with TEST_PG_ADMIN_URL). Never a mocked database.
 */
import { afterAll, beforeAll } from "vitest"
import { createScratchDatabase, type ScratchDatabase } from "../../src/adapters/sql/admin"

export const adminUrl = (): string => process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"

export type TempDatabase = ScratchDatabase

/** Creates `mt_test_<random>` and returns its URL and a drop function (forcibly closes leftover sessions). */
export const createTempDatabase = (): Promise<TempDatabase> => createScratchDatabase(adminUrl(), "mt_test_")

/**
 * Registers beforeAll/afterAll hooks creating and dropping a temp database for the calling test file;
 * `url()` is valid inside tests and in later beforeAll hooks.
 */
export const withTempDatabase = (): { readonly url: () => string } => {
  let db: TempDatabase | undefined
  beforeAll(async () => {
    db = await createTempDatabase()
  })
  afterAll(async () => {
    await db?.drop()
  })
  return {
    url: () => {
      if (!db) throw new Error("temp database not created yet (use url() inside tests or hooks)")
      return db.url
    }
  }
}
