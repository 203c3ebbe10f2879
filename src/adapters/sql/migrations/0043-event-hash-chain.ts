/**
 * The event log's hash chain (src/domain/events/chain.ts): a `hash` column on `events`, filled for the
 * events already recorded by walking them in global order, without rewriting any payload. From here on
 * the event store writes each event's link as it appends it (src/adapters/event-store/sql.ts).
 */
import { sql } from "kysely"
import { chainHash, GENESIS_HASH } from "../../../domain/events/chain"
import { nodeSha256 } from "../../sha256"
import { execAll, type Migration } from "./migration"

const BATCH = 5000

const migration: Migration = {
  version: 43,
  name: "event_hash_chain",
  up: async (db) => {
    await execAll(db, ["alter table events add column hash text"])
    let previous = GENESIS_HASH
    let after = 0n
    for (;;) {
      const r = await sql<{ position: string | number; event_id: string; stream: string; revision: number; type: string; data: unknown; metadata: unknown }>`
        select position, event_id::text as event_id, stream, revision, type, data, metadata
        from events where position > ${after.toString()}::bigint order by position limit ${BATCH}`.execute(db)
      if (r.rows.length === 0) break
      const links = r.rows.map((row) => {
        previous = chainHash(previous, { id: row.event_id, stream: row.stream, revision: Number(row.revision), type: row.type, data: row.data, metadata: row.metadata as never }, nodeSha256)
        return { position: String(row.position), hash: previous }
      })
      await sql`
        update events set hash = x.hash
        from json_to_recordset(${JSON.stringify(links)}::json) as x(position bigint, hash text)
        where events.position = x.position`.execute(db)
      after = BigInt(r.rows[r.rows.length - 1]!.position)
    }
    await execAll(db, ["alter table events alter column hash set not null"])
  },
  down: (db) => execAll(db, ["alter table events drop column hash"])
}

export default migration
