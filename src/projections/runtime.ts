/**
 * The projector runtime: applies the event log to projections in batches.
 *
 * One batch = events read through the EventStore port (never by SQL on the events table: the log may
 * live in EventStoreDB), decoded once, handed to each projection's pure handler, coalesced per row
 * (buffer.ts), and written — rows of every projection in the batch AND their checkpoints — in ONE SQL
 * transaction. Before writing, each checkpoint row is locked and compared with the position this
 * projector started the batch from, so two projectors of the same projection serialize and the loser
 * re-reads the checkpoint instead of applying events twice. A crash or failure anywhere before commit
 * rolls back rows and checkpoints together; the next run starts from the last committed checkpoint.
 *
 * Modes: `catchUp` reads to the end of the log and stops (CLI programs); `follow` subscribes and
 * applies new events as they commit, batching what arrives within a short window. The same batch
 * machinery writes into another schema (`Target.schema`) for rebuild and verify; there positions are
 * tracked in memory because a scratch schema is thrown away on failure.
 */
import type { Database } from "../adapters/sql/tables"
import { Chunk, Duration, Effect, Either, Fiber, Schedule, Stream } from "effect"
import { sql, type Kysely } from "kysely"
import { decodeCatalogEvent, type CatalogEvent } from "../domain/events/catalog"
import type { RecordedEvent } from "../domain/events/envelope"
import { EventStore, type EventStoreError, type EventStoreService } from "../domain/ports/event-store"
import { SqlDatabase } from "../adapters/sql/database"
import { oneLine } from "../adapters/sql/errors"
import { InvalidWrite, WriteBuffer, type TableShape } from "./buffer"
import { CheckpointMoved, ensureCheckpoints, lockCheckpoint, readCheckpoints, setCheckpoint } from "./checkpoints"
import { ProjectionConflict, ProjectionHandlerError, ProjectionSetupError, ProjectionWriteError } from "./errors"
import type { Projection } from "./projection"
import { tableShapes } from "./shape"
import { flushBuffer } from "./sql-writer"

export const DEFAULT_BATCH_SIZE = 5_000

/** Where a run writes: the live tables with their checkpoints, or a scratch/shadow schema. */
export type Target = { readonly _tag: "Live" } | { readonly _tag: "Schema"; readonly schema: string }
export const Target = {
  live: { _tag: "Live" } as Target,
  schema: (schema: string): Target => ({ _tag: "Schema", schema })
}
const schemaOf = (t: Target): string | undefined => (t._tag === "Schema" ? t.schema : undefined)

export interface BatchInfo {
  /** 0-based index of the batch within this run. */
  readonly index: number
  /** The batch covers positions (after, through]. */
  readonly after: bigint
  readonly through: bigint
  readonly events: number
  /** Projections written in this batch. */
  readonly projections: ReadonlyArray<string>
}

export interface RunOptions {
  /** Events per batch, i.e. per transaction (default 5,000). */
  readonly batchSize?: number
  /** Stop at this position (inclusive): `verify` replays exactly up to the live checkpoint. */
  readonly until?: bigint
  /** Stop after this many batches (a run that ends between batches, as a crash would). */
  readonly maxBatches?: number
  /**
   * Runs inside each batch's transaction after its rows and checkpoints are written, before commit.
   * A rejection rolls the whole batch back (tests inject failures here).
   */
  readonly beforeCommit?: (batch: BatchInfo, trx: Kysely<Database>) => Promise<void>
}

/** One projection inside a run: its table shapes and the position its target holds. */
export interface Member {
  readonly projection: Projection
  readonly shapes: ReadonlyArray<TableShape>
  readonly types: ReadonlySet<string>
  position: bigint
}

export interface RunSummary {
  readonly batches: number
  readonly events: number
  readonly projections: ReadonlyArray<{ readonly name: string; readonly from: bigint; readonly to: bigint }>
}

interface Context {
  readonly db: Kysely<Database>
  readonly describe: string
  readonly store: EventStoreService
  readonly target: Target
}

const setupError = (describe: string) => (cause: unknown) =>
  new ProjectionSetupError({ target: describe, reason: oneLine(cause), cause })

/** Introspects the tables of each projection in `target` (live or schema); names must be unique. */
export const prepareMembers = (db: Kysely<Database>, describe: string, projections: ReadonlyArray<Projection>, target: Target) =>
  Effect.tryPromise({
    try: async () => {
      const seen = new Set<string>()
      const tableOwner = new Map<string, string>()
      const members: Member[] = []
      // Sorted by name: concurrent projectors lock checkpoint rows in one order, so they never deadlock.
      for (const projection of [...projections].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (seen.has(projection.name)) throw new Error(`projection name ${projection.name} is used twice`)
        seen.add(projection.name)
        for (const t of projection.tables) {
          const owner = tableOwner.get(t)
          if (owner !== undefined) throw new Error(`table ${t} belongs to both projection ${owner} and ${projection.name}`)
          tableOwner.set(t, projection.name)
        }
        const shapes = await tableShapes(db, schemaOf(target), projection.tables)
        members.push({ projection, shapes, types: new Set(projection.eventTypes), position: 0n })
      }
      return members
    },
    catch: setupError(describe)
  })

type Plan = { readonly member: Member; readonly buffer: WriteBuffer; readonly through: bigint }

/**
 * Decodes every event of the batch (an event this code cannot decode, of any type, stops the run:
 * skipping an unknown type would silently leave a read model behind the log), runs the pure handlers
 * of the projections that read its type, and coalesces their writes. No I/O.
 */
const planBatch = (members: ReadonlyArray<Member>, events: ReadonlyArray<RecordedEvent>) =>
  Effect.gen(function* () {
    const decoded: CatalogEvent[] = new Array(events.length)
    for (let i = 0; i < events.length; i++) {
      const d = decodeCatalogEvent(events[i]!)
      if (Either.isLeft(d)) return yield* d.left
      decoded[i] = d.right
    }
    const through = events[events.length - 1]!.position
    const plans: Plan[] = []
    for (const member of members) {
      if (member.position >= through) continue
      const buffer = new WriteBuffer(member.shapes)
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!
        if (e.position <= member.position || !member.types.has(e.type)) continue
        try {
          buffer.addAll(member.projection.handle(decoded[i]!, e.position))
        } catch (cause) {
          return yield* new ProjectionHandlerError({
            projection: member.projection.name,
            stream: e.stream,
            revision: e.revision,
            position: e.position,
            reason: cause instanceof InvalidWrite ? cause.message : `handler threw: ${oneLine(cause)}`,
            cause
          })
        }
      }
      plans.push({ member, buffer, through })
    }
    return plans
  })

/** Plans and writes one batch in one transaction; advances the members' positions once committed. */
const applyBatch = (ctx: Context, members: ReadonlyArray<Member>, events: ReadonlyArray<RecordedEvent>, index: number, options: RunOptions) =>
  Effect.gen(function* () {
    if (events.length === 0) return undefined
    const plans = yield* planBatch(members, events)
    if (plans.length === 0) return undefined
    const after = plans.reduce((m, p) => (p.member.position < m ? p.member.position : m), plans[0]!.member.position)
    const through = events[events.length - 1]!.position
    const info: BatchInfo = { index, after, through, events: events.length, projections: plans.map((p) => p.member.projection.name) }
    const live = ctx.target._tag === "Live"
    const schema = schemaOf(ctx.target)
    yield* Effect.tryPromise({
      try: () =>
        ctx.db.transaction().execute(async (trx) => {
          // A scratch schema is disposable: no need to wait for its commits to reach the disk.
          if (!live) await sql`set local synchronous_commit = off`.execute(trx)
          for (const p of plans) {
            if (live) await lockCheckpoint(trx, p.member.projection.name, p.member.position)
            await flushBuffer(trx, schema, p.buffer)
            if (live) await setCheckpoint(trx, p.member.projection.name, p.through)
          }
          if (options.beforeCommit) await options.beforeCommit(info, trx)
        }),
      catch: (cause) =>
        cause instanceof CheckpointMoved
          ? new ProjectionConflict({ projection: cause.projection, reason: `checkpoint moved from ${cause.expected} to ${cause.actual ?? "nothing"} under this projector` })
          : new ProjectionWriteError({
              projections: info.projections,
              after,
              through,
              target: schema === undefined ? ctx.describe : `${ctx.describe} (schema ${schema})`,
              reason: oneLine(cause),
              cause
            })
    })
    for (const p of plans) p.member.position = p.through
    yield* Effect.logDebug(`projected (${after}, ${through}]: ${events.length} events into ${info.projections.join(", ")}`)
    return info
  })

const minPosition = (members: ReadonlyArray<Member>): bigint =>
  members.reduce((m, x) => (x.position < m ? x.position : m), members[0]?.position ?? 0n)

/**
 * Reads and applies batches until the end of the log (or `until`, or `maxBatches`). While a batch is
 * decoded and written, the next one is already being read (prefetch): with PostgreSQL the server and
 * the network work while this process computes. A prefetch is used only if it starts exactly where the
 * next batch must start.
 */
export const drive = (ctx: Context, members: ReadonlyArray<Member>, options: RunOptions = {}, stats = { batches: 0, events: 0 }) =>
  Effect.gen(function* () {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
    const until = options.until
    const readBatch = (after: bigint) =>
      Effect.map(Stream.runCollect(ctx.store.readAll({ after, maxCount: batchSize, batchSize })), Chunk.toReadonlyArray)
    let batches = 0
    let events = 0
    if (members.length === 0) return { batches, events }
    let prefetch: { readonly after: bigint; readonly fiber: Fiber.RuntimeFiber<ReadonlyArray<RecordedEvent>, EventStoreError> } | undefined
    const dropPrefetch = Effect.suspend(() => {
      const p = prefetch
      prefetch = undefined
      return p ? Fiber.interrupt(p.fiber).pipe(Effect.asVoid) : Effect.void
    })
    const loop = Effect.gen(function* () {
      while (options.maxBatches === undefined || batches < options.maxBatches) {
        const from = minPosition(members)
        if (until !== undefined && from >= until) break
        let read: ReadonlyArray<RecordedEvent>
        if (prefetch && prefetch.after === from) {
          read = yield* Fiber.join(prefetch.fiber)
          prefetch = undefined
        } else {
          yield* dropPrefetch
          read = yield* readBatch(from)
        }
        const slice = until === undefined ? read : read.filter((e) => e.position <= until)
        if (slice.length === 0) break
        const last = read[read.length - 1]!.position
        const more =
          read.length === batchSize &&
          (until === undefined || last < until) &&
          (options.maxBatches === undefined || batches + 1 < options.maxBatches)
        if (more) prefetch = { after: last, fiber: yield* Effect.fork(readBatch(last)) }
        yield* applyBatch(ctx, members, slice, batches, options)
        batches++
        events += slice.length
        stats.batches++
        stats.events += slice.length
        if (read.length < batchSize) break
      }
    })
    yield* loop.pipe(Effect.ensuring(dropPrefetch))
    return { batches, events }
  })

const liveContext = Effect.gen(function* () {
  const { db, describe } = yield* SqlDatabase
  const store = yield* EventStore
  return { db, describe, store, target: Target.live } satisfies Context
})

const loadPositions = (ctx: Context, members: ReadonlyArray<Member>) =>
  Effect.tryPromise({
    try: () => readCheckpoints(ctx.db, members.map((m) => m.projection.name)),
    catch: setupError(ctx.describe)
  }).pipe(
    Effect.map((positions) => {
      for (const m of members) m.position = positions.get(m.projection.name) ?? 0n
    })
  )

/**
 * After another projector moved a checkpoint, a catch-up re-reads the checkpoints and goes on. Each
 * conflict means the other side committed a batch, so conflicts end when the log does; the cap only
 * guards against something pathological. A short jittered pause keeps two racing projectors from
 * colliding on every batch.
 */
const MAX_CONFLICT_RETRIES = 1_000
const conflictBackoff = Schedule.exponential("2 millis").pipe(
  Schedule.union(Schedule.spaced("100 millis")),
  Schedule.jittered,
  Schedule.intersect(Schedule.recurs(MAX_CONFLICT_RETRIES))
)

/**
 * Catch-up-and-stop: applies every event after each projection's checkpoint, up to the end of the log
 * as it stands, then returns. Safe to run while other projectors run (see CheckpointMoved).
 */
export const catchUp = (projections: ReadonlyArray<Projection>, options: RunOptions = {}) =>
  Effect.gen(function* () {
    const ctx = yield* liveContext
    const members = yield* prepareMembers(ctx.db, ctx.describe, projections, ctx.target)
    yield* Effect.tryPromise({
      try: () => ensureCheckpoints(ctx.db, members.map((m) => m.projection.name)),
      catch: setupError(ctx.describe)
    })
    yield* loadPositions(ctx, members)
    const start = new Map(members.map((m) => [m.projection.name, m.position]))
    const stats = { batches: 0, events: 0 }
    const run = Effect.suspend(() => drive(ctx, members, options, stats)).pipe(
      Effect.tapError((e) => (e._tag === "ProjectionConflict" ? loadPositions(ctx, members) : Effect.void)),
      Effect.retry({ while: (e) => e._tag === "ProjectionConflict", schedule: conflictBackoff })
    )
    yield* run
    return {
      batches: stats.batches,
      events: stats.events,
      projections: members.map((m) => ({ name: m.projection.name, from: start.get(m.projection.name)!, to: m.position }))
    } satisfies RunSummary
  })

export interface FollowOptions extends Pick<RunOptions, "batchSize" | "beforeCommit"> {
  /** How long to gather events arriving one by one before writing them as a batch (default 100 ms). */
  readonly flushAfterMs?: number
}

/**
 * Follow mode: catches up, then applies new events as they commit, forever (interrupt to stop).
 * If another projector moves a checkpoint, re-reads the checkpoints and resubscribes.
 */
export const follow = (projections: ReadonlyArray<Projection>, options: FollowOptions = {}) =>
  Effect.gen(function* () {
    const ctx = yield* liveContext
    const members = yield* prepareMembers(ctx.db, ctx.describe, projections, ctx.target)
    if (members.length === 0) return yield* Effect.never
    yield* Effect.tryPromise({
      try: () => ensureCheckpoints(ctx.db, members.map((m) => m.projection.name)),
      catch: setupError(ctx.describe)
    })
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
    let index = 0
    const once = Effect.gen(function* () {
      yield* loadPositions(ctx, members)
      yield* ctx.store.subscribeAll({ after: minPosition(members) }).pipe(
        Stream.groupedWithin(batchSize, Duration.millis(options.flushAfterMs ?? 100)),
        Stream.runForEach((chunk) => applyBatch(ctx, members, Chunk.toReadonlyArray(chunk), index++, options))
      )
    })
    yield* once.pipe(Effect.retry({ while: (e) => e._tag === "ProjectionConflict", schedule: Schedule.spaced("100 millis") }))
    return yield* Effect.never
  })
