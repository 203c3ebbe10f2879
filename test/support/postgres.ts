/**
 * A throwaway PostgreSQL database per test file, on the real server (127.0.0.1:5432, trust auth by
 * default; override with TEST_PG_ADMIN_URL). Never a mocked database.
 */
import { randomBytes } from "node:crypto"
import { afterAll, beforeAll } from "vitest"
import pg from "pg"

export const adminUrl = (): string => process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"

export interface TempDatabase {
  readonly name: string
  readonly url: string
  readonly drop: () => Promise<void>
}

const withAdmin = async <A>(f: (client: pg.Client) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    return await f(client)
  } finally {
    await client.end()
  }
}

/** Creates `mt_test_<random>` and returns its URL and a drop function (forcibly closes leftover sessions). */
export const createTempDatabase = async (): Promise<TempDatabase> => {
  const name = `mt_test_${randomBytes(6).toString("hex")}`
  await withAdmin((c) => c.query(`create database ${name}`))
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined)
  }
}

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
