/**
 * The event store over the SQL database (PGlite or PostgreSQL; same schema, migration 0001).
 *
 * The gap problem: with positions from a sequence, a transaction can take position 10, commit after
 * another transaction committed 11, and a reader that already moved past 11 skips 10 forever. Here every
 * append transaction first takes a transaction-level advisory lock (released at commit, after its rows
 * are visible) and only then reads max(position) and numbers its events. Appends are serialized, so a
 * later commit always has higher positions than everything committed before it, positions are gap-free,
 * and readers paging by `position > cursor` need no lock and can never skip an event.
 */
import type { Database } from "../sql/tables"
import { Chunk, Effect, Layer, Option, Ref, Stream } from "effect"
import { sql, type Kysely } from "kysely"
import { nodeSha256 } from "../sha256"
import { GENESIS_HASH, linkEvent } from "../../domain/events/chain"
import { describeExpected, type ExpectedRevision, type RecordedEvent } from "../../domain/events/envelope"
import {
  EventStore,
  EventStoreError,
  WrongExpectedRevision,
  type AppendResult,
  type EventStoreService,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamAppend
} from "../../domain/ports/event-store"
import { SqlDatabase, type SqlDatabaseService } from "../sql/database"
import { oneLine } from "../sql/errors"

/** Advisory lock key shared by every appender of the SQL event log (any process, any connection). */
export const EVENT_LOG_LOCK_KEY = "7246917310002"

export interface SqlEventStoreOptions {
  /** How often a caught-up subscription polls for new events. */
  readonly pollIntervalMs?: number
  /** Rows per read round trip (readAll/readStream/subscribeAll), unless the caller hints otherwise. */
  readonly readBatchSize?: number
  /** Rows per INSERT statement when appending. */
  readonly insertChunkSize?: number
}

interface EventRow {
  position: string | number | bigint
  event_id: string
  stream: string
  revision: number
  type: string
  data: unknown
  metadata: unknown
  recorded_at: Date | string
  hash: string | null
}


const toRecorded = (r: EventRow): RecordedEvent => ({
  id: r.event_id,
  type: r.type,
  data: r.data,
  metadata: r.metadata as RecordedEvent["metadata"],
  stream: r.stream,
  revision: Number(r.revision),
  // pg returns int8 as a string, PGlite as a number (or bigint beyond 2^53).
  position: BigInt(r.position),
  recordedAt: r.recorded_at instanceof Date ? r.recorded_at : new Date(r.recorded_at),
  ...(r.hash !== null && r.hash !== undefined && { hash: r.hash })
})

const columns = sql.raw("position, event_id::text as event_id, stream, revision, type, data, metadata, recorded_at, hash")

/** Thrown inside the append transaction to roll it back; turned into the typed error outside. */
class Conflict {
  constructor(readonly error: WrongExpectedRevision) {}
}

interface Known {
  readonly stream: string
  readonly revision: number
  readonly position: bigint
}

interface StreamState {
  /** Last revision, or undefined when the stream does not exist. */
  revision: number | undefined
  /** Position of its last event. */
  position: bigint | undefined
}

const satisfies = (expected: ExpectedRevision, current: number | undefined): boolean =>
  expected._tag === "Any" ? true : expected._tag === "NoStream" ? current === undefined : current === expected.revision

/**
 * One round trip for what the checks need besides the log head: each stream's last event, and any of
 * the ids already recorded. Run inside the append transaction after its lock, so nothing can change
 * until that transaction commits.
 * Each stream and id is looked up on its own through its unique index (a lateral `limit 1`), a plan that
 * needs no table statistics: `stream = any(...)` was planned from default estimates where nothing has
 * analysed the table (PGlite has no autovacuum; servers may run without it) and became a full scan of
 * the log per batch, making appends slower the longer the log (docs/ASSUMPTIONS.md "Store at scale").
 */
export const appendChecks = (streamNames: ReadonlyArray<string>, ids: ReadonlyArray<string>) =>
  sql<{ kind: "stream" | "id"; stream: string; revision: number; event_id: string | null; position: string | number }>`
  select 'stream'::text as kind, last_event.stream, last_event.revision, null::text as event_id, last_event.position
    from unnest(${streamNames}::text[]) as wanted(name)
    cross join lateral (
      select stream, revision, position from events where stream = wanted.name order by revision desc limit 1) last_event
  union all
  select 'id'::text, known.stream, known.revision, known.event_id::text, known.position
    from unnest(${ids}::uuid[]) as wanted(id)
    cross join lateral (select stream, revision, event_id, position from events where event_id = wanted.id limit 1) known`

/** The log's last position and hash link (0 and the genesis hash for an empty log). */
const logHead = async (trx: Kysely<Database>): Promise<{ position: bigint; hash: string }> => {
  const r = await sql<{ position: string | number; hash: string }>`select position, hash from events order by position desc limit 1`.execute(trx)
  const row = r.rows[0]
  return row ? { position: BigInt(row.position), hash: row.hash } : { position: 0n, hash: GENESIS_HASH }
}

/** A unique-constraint violation (SQLSTATE 23505), as pg and PGlite report it. */
const isUniqueViolation = (cause: unknown): boolean =>
  typeof cause === "object" && cause !== null && (cause as { readonly code?: unknown }).code === "23505"

/** The text columns of the rows to insert, one array per column. */
interface Columns {
  readonly position: string[]
  readonly id: string[]
  readonly stream: string[]
  readonly revision: string[]
  readonly type: string[]
  readonly data: string[]
  readonly metadata: string[]
  readonly hash: string[]
}

/**
 * The appends' outcome against the given state of the log: results (or conflicts) and the rows to
 * insert with their positions and hash links. No I/O; `states` and `known` are updated as the batch's
 * own appends go in (a later append in the batch sees the earlier ones). Throws Conflict (unless
 * skipConflicts), which rolls the transaction back.
 */
const planAppends = (
  appends: ReadonlyArray<StreamAppend>,
  states: Map<string, StreamState>,
  known: Map<string, Known>,
  head: { position: bigint; hash: string },
  skipConflicts: boolean
): { readonly cols: Columns; readonly results: Array<AppendResult | WrongExpectedRevision> } => {
  let position = head.position
  let previousHash = head.hash
  // Column arrays of text: each payload is encoded once, canonically, for both its hash link and the insert.
  const cols: Columns = { position: [], id: [], stream: [], revision: [], type: [], data: [], metadata: [], hash: [] }
  const results: Array<AppendResult | WrongExpectedRevision> = []
  for (const a of appends) {
    const state = states.get(a.stream) ?? { revision: undefined, position: undefined }
    const already = a.events.map((e) => known.get(e.id.toLowerCase()))
    const found = already.filter((k): k is Known => k !== undefined)
    const elsewhere = found.find((k) => k.stream !== a.stream)
    if (elsewhere) {
      const id = a.events[already.indexOf(elsewhere)]!.id
      throw new Error(`event id ${id} is already recorded in stream ${elsewhere.stream}, cannot append it to ${a.stream}`)
    }
    const actual = state.revision ?? ("no stream" as const)
    if (a.events.length > 0 && found.length === a.events.length) {
      // Idempotent re-append: every event is already in this stream, whatever the expectation said.
      results.push({
        nextRevision: state.revision!,
        position: found.reduce((m, k) => (k.position > m ? k.position : m), 0n),
        written: false
      })
      continue
    }
    let conflict: WrongExpectedRevision | undefined
    if (found.length > 0)
      conflict = new WrongExpectedRevision({
        stream: a.stream,
        expected: `${describeExpected(a.expected)} (and ${found.length} of ${a.events.length} events are already in the stream)`,
        actual
      })
    else if (!satisfies(a.expected, state.revision))
      conflict = new WrongExpectedRevision({ stream: a.stream, expected: describeExpected(a.expected), actual })
    if (conflict) {
      if (!skipConflicts) throw new Conflict(conflict)
      results.push(conflict)
      continue
    }
    if (a.events.length === 0) {
      results.push({ nextRevision: state.revision ?? -1, position: state.position ?? 0n, written: false })
      continue
    }
    let revision = state.revision ?? -1
    for (const e of a.events) {
      revision += 1
      position += 1n
      // The chain link: this event's canonical encoding and the hash of the one before it in global order.
      const { dataJson, metadataJson, hash } = linkEvent(previousHash, e, a.stream, revision, nodeSha256)
      previousHash = hash
      cols.position.push(position.toString())
      cols.id.push(e.id)
      cols.stream.push(a.stream)
      cols.revision.push(String(revision))
      cols.type.push(e.type)
      cols.data.push(dataJson)
      cols.metadata.push(metadataJson)
      cols.hash.push(hash)
      known.set(e.id.toLowerCase(), { stream: a.stream, revision, position })
    }
    states.set(a.stream, { revision, position })
    results.push({ nextRevision: revision, position, written: true })
  }

  return { cols, results }
}

/** Multi-row inserts from one text array per column, cast in SQL: a single round trip per chunk. */
const insertColumns = async (trx: Kysely<Database>, cols: Columns, insertChunkSize: number): Promise<void> => {
  // The same SQL on PGlite and pg. PostgreSQL spent most of an append unpacking the json_to_recordset
  // parameter this replaced (store benchmark, alternating runs: 17k -> 31k events/s; PGlite unchanged).
  for (let i = 0; i < cols.position.length; i += insertChunkSize) {
    const part = (xs: ReadonlyArray<string>) => xs.slice(i, i + insertChunkSize)
    await sql`
      insert into events (position, event_id, stream, revision, type, data, metadata, hash)
      select p::bigint, e::uuid, s, r::integer, t, d::jsonb, m::jsonb, h
      from unnest(${part(cols.position)}::text[], ${part(cols.id)}::text[], ${part(cols.stream)}::text[], ${part(cols.revision)}::text[],
                  ${part(cols.type)}::text[], ${part(cols.data)}::text[], ${part(cols.metadata)}::text[], ${part(cols.hash)}::text[])
        as x(p, e, s, r, t, d, m, h)`.execute(trx)
  }
}

const appendInTransaction = async (
  trx: Kysely<Database>,
  appends: ReadonlyArray<StreamAppend>,
  skipConflicts: boolean,
  insertChunkSize: number
): Promise<Array<AppendResult | WrongExpectedRevision>> => {
  await sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK_KEY}::bigint)`.execute(trx)

  const streamNames = [...new Set(appends.map((a) => a.stream))]
  const ids: string[] = []
  for (const a of appends) {
    const seen = new Set<string>()
    for (const e of a.events) {
      if (seen.has(e.id)) throw new Error(`event id ${e.id} appears twice in one append to ${a.stream}`)
      seen.add(e.id)
      ids.push(e.id)
    }
  }

  // New streams (an import's or an ingest's new tweets): insert first and look nothing up. Whatever the
  // lookups would find (an existing stream, a recorded event id) makes the insert violate a unique
  // index, and then the batch goes the checked way below, from a savepoint, as if nothing happened.
  if (!skipConflicts && streamNames.length === appends.length && appends.every((a) => a.expected._tag === "NoStream" && a.events.length > 0)) {
    const planned = planAppends(appends, new Map(), new Map(), await logHead(trx), false)
    await sql`savepoint new_streams`.execute(trx)
    try {
      await insertColumns(trx, planned.cols, insertChunkSize)
      await sql`release savepoint new_streams`.execute(trx)
      return planned.results
    } catch (cause) {
      if (!isUniqueViolation(cause)) throw cause
      await sql`rollback to savepoint new_streams`.execute(trx)
    }
  }

  const head = await logHead(trx)
  const r = await appendChecks(streamNames, ids).execute(trx)
  const states = new Map<string, StreamState>()
  const known = new Map<string, Known>()
  for (const row of r.rows) {
    if (row.kind === "stream") states.set(row.stream, { revision: Number(row.revision), position: BigInt(row.position) })
    else known.set(row.event_id!.toLowerCase(), { stream: row.stream, revision: Number(row.revision), position: BigInt(row.position) })
  }
  const { cols, results } = planAppends(appends, states, known, head, skipConflicts)
  await insertColumns(trx, cols, insertChunkSize)
  return results
}

export const makeSqlEventStore = (database: SqlDatabaseService, options: SqlEventStoreOptions = {}): EventStoreService => {
  const { db, describe } = database
  const pollIntervalMs = options.pollIntervalMs ?? 100
  const readBatchSize = options.readBatchSize ?? 1000
  const insertChunkSize = options.insertChunkSize ?? 2000

  const storeError = (cause: unknown) => {
    const reason = oneLine(cause)
    return new EventStoreError({
      target: describe,
      reason: /relation "events" does not exist/.test(reason) ? `${reason} (run \`musktracker migrate up\`)` : reason,
      cause
    })
  }
  const query = <A>(f: () => Promise<A>) => Effect.tryPromise({ try: f, catch: storeError })

  const appendMany: EventStoreService["appendMany"] = (appends, opts) =>
    appends.length === 0 ? Effect.succeed({ results: [] }) : Effect.tryPromise({
      try: () => db.transaction().execute((trx) => appendInTransaction(trx, appends, opts?.skipConflicts ?? false, insertChunkSize)),
      catch: (cause): WrongExpectedRevision | EventStoreError => (cause instanceof Conflict ? cause.error : storeError(cause))
    }).pipe(Effect.map((results) => ({ results })))

  const append: EventStoreService["append"] = (stream, events, expected) =>
    Effect.map(appendMany([{ stream, events, expected }]), ({ results }) => results[0] as AppendResult)

  const readAllPage = (after: bigint, limit: number) =>
    query(() =>
      sql<EventRow>`select ${columns} from events where position > ${after.toString()}::bigint order by position limit ${limit}`.execute(db)
    ).pipe(Effect.map((r) => r.rows.map(toRecorded)))

  const readStream = (stream: string, o: ReadStreamOptions = {}): Stream.Stream<RecordedEvent, EventStoreError> => {
    const backwards = o.direction === "backwards"
    const max = o.maxCount ?? Number.POSITIVE_INFINITY
    const start = o.fromRevision ?? (backwards ? 2 ** 31 - 1 : 0)
    return Stream.paginateChunkEffect({ from: start, remaining: max }, ({ from, remaining }) => {
      const limit = Math.min(readBatchSize, remaining)
      if (limit <= 0 || from < 0) return Effect.succeed([Chunk.empty<RecordedEvent>(), Option.none()] as const)
      const q = backwards
        ? sql<EventRow>`select ${columns} from events where stream = ${stream} and revision <= ${from} order by revision desc limit ${limit}`
        : sql<EventRow>`select ${columns} from events where stream = ${stream} and revision >= ${from} order by revision limit ${limit}`
      return query(() => q.execute(db)).pipe(
        Effect.map((r) => {
          const events = r.rows.map(toRecorded)
          const last = events[events.length - 1]
          const next =
            events.length < limit || !last
              ? Option.none()
              : Option.some({ from: backwards ? last.revision - 1 : last.revision + 1, remaining: remaining - events.length })
          return [Chunk.unsafeFromArray(events), next] as const
        })
      )
    })
  }

  const readAll = (o: ReadAllOptions = {}): Stream.Stream<RecordedEvent, EventStoreError> => {
    const batch = o.batchSize ?? readBatchSize
    return Stream.paginateChunkEffect({ after: o.after ?? 0n, remaining: o.maxCount ?? Number.POSITIVE_INFINITY }, ({ after, remaining }) => {
      const limit = Math.min(batch, remaining)
      if (limit <= 0) return Effect.succeed([Chunk.empty<RecordedEvent>(), Option.none()] as const)
      return readAllPage(after, limit).pipe(
        Effect.map((events) => {
          const last = events[events.length - 1]
          const next = events.length < limit || !last ? Option.none() : Option.some({ after: last.position, remaining: remaining - events.length })
          return [Chunk.unsafeFromArray(events), next] as const
        })
      )
    })
  }

  const subscribeAll = (o: { readonly after?: bigint } = {}): Stream.Stream<RecordedEvent, EventStoreError> =>
    Stream.unwrap(
      Effect.map(Ref.make(o.after ?? 0n), (cursor) =>
        Stream.repeatEffectChunk(
          Effect.gen(function* () {
            const after = yield* Ref.get(cursor)
            const events = yield* readAllPage(after, readBatchSize)
            const last = events[events.length - 1]
            if (!last) {
              // Caught up: wait before polling again (a full page means more is waiting, so no sleep then).
              yield* Effect.sleep(pollIntervalMs)
              return Chunk.empty<RecordedEvent>()
            }
            yield* Ref.set(cursor, last.position)
            return Chunk.unsafeFromArray(events)
          })
        )
      )
    )

  const lastPosition = query(() => sql<{ p: string | number | null }>`select max(position) as p from events`.execute(db)).pipe(
    Effect.map((r) => (r.rows[0]?.p == null ? undefined : BigInt(r.rows[0].p)))
  )
  const count = query(() => sql<{ n: string | number }>`select count(*) as n from events`.execute(db)).pipe(
    Effect.map((r) => Number(r.rows[0]!.n))
  )

  return { describe, append, appendMany, readStream, readAll, subscribeAll, lastPosition, count, keepsHashChain: true }
}

/** The EventStore on the configured SQL database. Assumes migrations are applied (`migrate up`). */
export const EventStoreSql: Layer.Layer<EventStore, never, SqlDatabase> = Layer.effect(
  EventStore,
  Effect.map(SqlDatabase, (database) => makeSqlEventStore(database))
)

/** Same, with explicit options (poll interval, batch sizes). */
export const EventStoreSqlWith = (options: SqlEventStoreOptions): Layer.Layer<EventStore, never, SqlDatabase> =>
  Layer.effect(
    EventStore,
    Effect.map(SqlDatabase, (database) => makeSqlEventStore(database, options))
  )
