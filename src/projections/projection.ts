/**
 * The projection model.
 *
 * A projection turns the event log into SQL read-model tables. It is
 *   { name, tables, eventTypes, handle(event, position) -> ReadonlyArray<Write> }
 * where `handle` is a PURE function of one decoded event and its global position, and a `Write`
 * (write.ts) is data — upsert a row, merge columns, increment counters, delete a key — never SQL.
 *
 * Why data and not SQL:
 * - Speed. The runtime (runtime.ts) reads a batch of events, calls `handle` for each, and coalesces
 *   the writes per row key in memory (buffer.ts): 1,000 tweets in one hour become one `count + 1000`.
 *   The coalesced rows go out as a few multi-row `INSERT ... ON CONFLICT` statements (sql-writer.ts),
 *   in ONE transaction together with the projection's checkpoint. A crash therefore leaves either the
 *   whole batch and its checkpoint, or neither: no event is ever applied twice or lost.
 * - Retargeting. Because writes name tables, not schemas, the same handler output can be applied to
 *   a scratch schema (`rebuild`: replay from zero, then swap the result in) or a shadow schema
 *   (`verify`: replay from zero and diff against the live tables).
 * - Testability. Handlers are checked without a database; the runtime is checked once for all.
 *
 * Rules for a projection:
 * - `handle` depends only on its arguments (no clock, no randomness, no reading tables): replaying
 *   the log must reproduce the tables exactly, which `verify` checks.
 * - It writes only the `tables` it lists (its own tables; the runtime refuses others), and those are
 *   created by a migration (src/adapters/sql/migrations), each with a primary key. No foreign keys
 *   between projections' tables (rebuild truncates and refills one projection's tables).
 * - `eventTypes` lists the event types it reads: only those are handed to it (every other event still
 *   advances its checkpoint). The runtime decodes every event with the catalog decoder: an event it
 *   cannot decode (bad payload, unknown type, newer schema) stops the projector with an error naming
 *   the stream, revision and global position, rather than leaving a read model silently behind.
 * - It never reads the event log through SQL: the log may live elsewhere (EventStoreDB); the runtime
 *   reads it through the EventStore port.
 */
import type { CatalogEvent } from "../domain/events/catalog"
import type { Write } from "./write"

export interface Projection {
  /** Unique name; also its checkpoint's key in projection_checkpoints. */
  readonly name: string
  /** Its read-model tables (live schema), so rebuild/verify know what to copy and compare. */
  readonly tables: ReadonlyArray<string>
  /** Event types it handles; events of other types are not handed to it. */
  readonly eventTypes: ReadonlyArray<string>
  readonly handle: (event: CatalogEvent, position: bigint) => ReadonlyArray<Write>
}

export type { Write, Row, Value } from "./write"
