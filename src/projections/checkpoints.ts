/**
 * Projection checkpoints (table projection_checkpoints, migration 0002): the global position of the
 * last event each projection's live read model contains. Positions travel as text: int8 exceeds a JS
 * number in general (numeric(40,0): EventStoreDB positions exceed int8), and drivers disagree on types.
 */
import type { Database } from "../adapters/sql/tables"
import { sql, type Kysely } from "kysely"

/** Another projector moved the checkpoint since this one read it (a concurrent run or a rebuild). */
export class CheckpointMoved extends Error {
  constructor(
    readonly projection: string,
    readonly expected: bigint,
    readonly actual: bigint | undefined
  ) {
    super(`projection ${projection}: checkpoint moved from ${expected} to ${actual ?? "nothing"} under this projector`)
  }
}

/** Creates missing checkpoint rows at position 0. */
export const ensureCheckpoints = async (db: Kysely<Database>, names: ReadonlyArray<string>): Promise<void> => {
  if (names.length === 0) return
  await sql`insert into projection_checkpoints (name) values ${sql.join(names.map((n) => sql`(${n})`))}
            on conflict (name) do nothing`.execute(db)
}

/** Checkpoints of `names`; a projection without a row is at 0. */
export const readCheckpoints = async (db: Kysely<Database>, names: ReadonlyArray<string>): Promise<Map<string, bigint>> => {
  const out = new Map<string, bigint>(names.map((n) => [n, 0n]))
  if (names.length === 0) return out
  const r = await sql<{ name: string; position: string }>`
    select name, position::text as position from projection_checkpoints
    where name in (${sql.join(names)})`.execute(db)
  for (const row of r.rows) out.set(row.name, BigInt(row.position))
  return out
}

/**
 * Inside a transaction: locks the projection's checkpoint row and checks that it is still `expected`
 * (creating it when absent and `expected` is 0). Two projectors of one projection thus serialize, and
 * the loser fails with CheckpointMoved instead of applying events twice.
 */
export const lockCheckpoint = async (trx: Kysely<Database>, name: string, expected: bigint): Promise<void> => {
  const select = () => sql<{ position: string }>`
    select position::text as position from projection_checkpoints where name = ${name} for update`.execute(trx)
  let r = await select()
  if (r.rows.length === 0) {
    await sql`insert into projection_checkpoints (name) values (${name}) on conflict (name) do nothing`.execute(trx)
    r = await select()
  }
  const actual = r.rows[0] ? BigInt(r.rows[0].position) : undefined
  if (actual !== expected) throw new CheckpointMoved(name, expected, actual)
}

export const setCheckpoint = async (trx: Kysely<Database>, name: string, position: bigint): Promise<void> => {
  await sql`update projection_checkpoints set position = ${position.toString()}::numeric, updated_at = now() where name = ${name}`.execute(trx)
}
