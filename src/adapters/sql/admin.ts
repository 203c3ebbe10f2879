/**
 * Creating and dropping whole PostgreSQL databases through an admin connection: used to give tests and
 * benchmarks a throwaway database of their own on a shared server.
 */
import { randomBytes } from "node:crypto"
import pg from "pg"

const withClient = async <A>(url: string, f: (client: pg.Client) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await f(client)
  } finally {
    await client.end()
  }
}

export interface ScratchDatabase {
  readonly name: string
  /** `adminUrl` pointed at the new database. */
  readonly url: string
  /** Drops it, closing any session still connected. */
  readonly drop: () => Promise<void>
}

/** Creates `<prefix><random hex>` on the server of `adminUrl` (a role allowed to CREATE DATABASE). */
export const createScratchDatabase = async (adminUrl: string, prefix = "mt_scratch_"): Promise<ScratchDatabase> => {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`invalid database name prefix ${prefix}`)
  const name = `${prefix}${randomBytes(6).toString("hex")}`
  await withClient(adminUrl, (c) => c.query(`create database ${name}`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    drop: () => withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined)
  }
}
