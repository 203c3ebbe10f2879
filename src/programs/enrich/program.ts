/**
 * `musktracker enrich ...`: curation of exogenous events (earnings, launches, news) that may move
 * posting volume. Each write goes through the pure decider (src/domain/exogenous/decider.ts), whose
 * rejections are one line and exit 1; the events land in stream `exogenous-<uuid>` with optimistic
 * concurrency, then the read models catch up so `enrich list` shows them at once.
 *
 *   enrich add-event --name N --start ISO --end ISO --intensity X [--known-at ISO] [--kind scheduled|unscheduled] [--tag T]...
 *   enrich revise ID [--name N] [--start ISO] [--end ISO] [--intensity X] [--known-at ISO] [--revision-known-at ISO]
 *   enrich retract ID --reason TEXT [--known-at ISO]
 *   enrich list [--at ISO] [--all] [--format table|json]
 *   enrich import FILE         (CSV or JSON; all or nothing)
 */
import { accountFilter } from "../cli/account"
import { exogenousForAccount } from "../../domain/exogenous/scope"
import { Chunk, Clock, Console, Data, Effect, Either, Option, Stream } from "effect"
import { randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import { codeVersion } from "../../adapters/code-version"
import { decodeCatalogEvent } from "../../domain/events/catalog"
import { ExpectedRevision, type NewEvent, type RecordedEvent } from "../../domain/events/envelope"
import { ExogenousEventCurated, ExogenousEventRetracted, ExogenousEventRevised, exogenousStream, revisionNaturalKey, type ExogenousDomainEvent } from "../../domain/events/exogenous"
import { commandEventId, curatedFromInput, decide, type ExogenousCommand } from "../../domain/exogenous/decider"
import { parseImportFile } from "../../domain/exogenous/import-file"
import { currentState, type ExogenousEventFields } from "../../domain/exogenous/state"
import { exogenousAsOf } from "../../domain/features/asof"
import { EventStore } from "../../domain/ports/event-store"
import { parseInstant, toIsoUtc } from "../../domain/time"
import { currentExogenousEvents, exogenousKnowledgeLog } from "../../projections/queries/exogenous"
import { catchUpProjections } from "../catch-up"
import { handleCommand } from "../command-handler"
import { renderTable } from "../cli/format"
import { UsageError } from "../cli/usage-error"
import { StoreLayer } from "../layers"

/** An import file that cannot be imported as a whole: nothing was written. */
export class ImportRejected extends Data.TaggedError("ImportRejected")<{ readonly file: string; readonly problems: number }> {
  override get message(): string {
    return `import ${this.file}: ${this.problems} problem${this.problems === 1 ? "" : "s"} (listed above); nothing was written`
  }
}

/** A recorded event of an exogenous stream as the decider sees it (undefined: not one of its events). */
const exogenousEventOf = (recorded: RecordedEvent) =>
  Effect.map(decodeCatalogEvent(recorded), (e): ExogenousDomainEvent | undefined =>
    e.type === "ExogenousEventCurated" || e.type === "ExogenousEventRevised" || e.type === "ExogenousEventRetracted"
      ? ({ type: e.type, data: e.data } as ExogenousDomainEvent)
      : undefined
  )

/** The events of one exogenous stream, decoded, in order. */
const readExogenousHistory = (eventId: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const recorded = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readStream(exogenousStream(eventId))))
    const events = yield* Effect.forEach(recorded, exogenousEventOf)
    return events.filter((e): e is ExogenousDomainEvent => e !== undefined)
  })

/** Domain events -> envelopes, with deterministic ids so a retried append is idempotent. */
const encodeAll = (events: ReadonlyArray<ExogenousDomainEvent>, firstRevision: number, context: { codeVersion: string; correlationId: string }) =>
  events.map((e, i): NewEvent => {
    switch (e.type) {
      case "ExogenousEventCurated":
        return ExogenousEventCurated.encode(e.data, context)
      case "ExogenousEventRevised":
        return ExogenousEventRevised.encode(e.data, context, { naturalKey: revisionNaturalKey(e.data.eventId, firstRevision + i) })
      case "ExogenousEventRetracted":
        return ExogenousEventRetracted.encode(e.data, context)
    }
  })

/** Decides one command against its stream and appends the result. Returns the new events and state. */
export const runExogenousCommand = (command: ExogenousCommand) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const eventId = yield* commandEventId(command, now)
    const context = { codeVersion: codeVersion(), correlationId: randomUUID() }
    const { before, events } = yield* handleCommand({
      stream: exogenousStream(eventId),
      decode: exogenousEventOf,
      initial: [] as ReadonlyArray<ExogenousDomainEvent>,
      evolve: (history, event) => [...history, event],
      decide: (history) => decide(command, history, now),
      encode: (decided, firstRevision) => encodeAll(decided, firstRevision, context)
    })
    yield* catchUpProjections
    return { eventId, events, state: currentState([...before, ...events])! }
  })

const describeEvent = (e: Pick<ExogenousEventFields, "name" | "start" | "end" | "intensity" | "kind" | "knownAt" | "account">): string =>
  `"${e.name}" ${toIsoUtc(e.start)} .. ${toIsoUtc(e.end)}, intensity ${e.intensity}, ${e.kind}, ` +
  `${e.account === undefined ? "every account" : `@${e.account} only`}, known at ${toIsoUtc(e.knownAt)}`

// ---- add-event ---------------------------------------------------------------------------------

export interface AddEventArgs {
  readonly name: string
  readonly start: string
  readonly end: string
  readonly intensity: string
  readonly knownAt: Option.Option<string>
  readonly kind: Option.Option<string>
  readonly tag: ReadonlyArray<string>
  /** Absent: a global event (it bears on every account). */
  readonly account: Option.Option<string>
}

export const addEvent = (a: AddEventArgs) =>
  Effect.gen(function* () {
    const r = yield* runExogenousCommand({
      _tag: "AddEvent",
      name: a.name,
      start: a.start,
      end: a.end,
      intensity: a.intensity,
      tags: a.tag,
      ...(Option.isSome(a.knownAt) && { knownAt: a.knownAt.value }),
      ...(Option.isSome(a.kind) && { kind: a.kind.value }),
      ...(Option.isSome(a.account) && { account: a.account.value })
    })
    yield* Console.log(`added exogenous event ${r.eventId}: ${describeEvent(r.state)}`)
    return r
  })


// ---- revise ------------------------------------------------------------------------------------

export interface ReviseArgs {
  readonly id: string
  readonly name: Option.Option<string>
  readonly start: Option.Option<string>
  readonly end: Option.Option<string>
  readonly intensity: Option.Option<string>
  readonly knownAt: Option.Option<string>
  readonly revisionKnownAt: Option.Option<string>
}

export const reviseEvent = (a: ReviseArgs) =>
  Effect.gen(function* () {
    const changes = {
      ...(Option.isSome(a.name) && { name: a.name.value }),
      ...(Option.isSome(a.start) && { start: a.start.value }),
      ...(Option.isSome(a.end) && { end: a.end.value }),
      ...(Option.isSome(a.intensity) && { intensity: a.intensity.value }),
      ...(Option.isSome(a.knownAt) && { knownAt: a.knownAt.value })
    }
    const r = yield* runExogenousCommand({
      _tag: "Revise",
      eventId: a.id,
      changes,
      ...(Option.isSome(a.revisionKnownAt) && { revisionKnownAt: a.revisionKnownAt.value })
    })
    const revised = r.events[0]!
    yield* Console.log(`revised exogenous event ${r.eventId} (known at ${revised.data.knownAt}): ${describeEvent(r.state)}`)
    return r
  })


// ---- retract -----------------------------------------------------------------------------------

export const retractEvent = (a: { readonly id: string; readonly reason: string; readonly knownAt: Option.Option<string> }) =>
  Effect.gen(function* () {
    const r = yield* runExogenousCommand({
      _tag: "Retract",
      eventId: a.id,
      reason: a.reason,
      ...(Option.isSome(a.knownAt) && { knownAt: a.knownAt.value })
    })
    yield* Console.log(`retracted exogenous event ${r.eventId} (known at ${r.events[0]!.data.knownAt}): ${r.state.retraction!.reason}`)
    return r
  })


// ---- list --------------------------------------------------------------------------------------

export interface ListedEvent extends ExogenousEventFields {
  readonly retracted?: boolean
}

export const listEvents = (a: { readonly at: Option.Option<string>; readonly all: boolean; readonly format: "table" | "json"; readonly account?: Option.Option<string> }) =>
  Effect.gen(function* () {
    const account = yield* accountFilter(a.account ?? Option.none())
    yield* catchUpProjections
    let events: ReadonlyArray<ListedEvent>
    if (Option.isSome(a.at)) {
      const cutoff = parseInstant(a.at.value)
      if (cutoff === undefined) return yield* new UsageError({ message: `--at: "${a.at.value}" is not an ISO 8601 instant with an offset` })
      // As known at the cutoff: the same as-of function backtests use, over the knowledge log.
      const log = yield* exogenousKnowledgeLog
      events = exogenousAsOf(account === undefined ? log : exogenousForAccount(log, account), cutoff)
    } else {
      events = yield* currentExogenousEvents({ includeRetracted: a.all, ...(account !== undefined && { account }) })
    }
    if (a.format === "json") {
      yield* Console.log(
        JSON.stringify(
          events.map((e) => ({
            id: e.eventId,
            name: e.name,
            start: toIsoUtc(e.start),
            end: toIsoUtc(e.end),
            intensity: e.intensity,
            kind: e.kind,
            knownAt: toIsoUtc(e.knownAt),
            tags: e.tags,
            account: e.account ?? null,
            ...(e.retracted !== undefined && { retracted: e.retracted })
          })),
          null,
          2
        )
      )
    } else if (events.length === 0) {
      yield* Console.log(Option.isSome(a.at) ? `no exogenous events known at ${a.at.value}` : "no exogenous events")
    } else {
      const header = ["id", "name", "start", "end", "intensity", "kind", "known_at", "tags", "account", ...(a.all ? ["status"] : [])]
      const rows = events.map((e) => [
        e.eventId,
        e.name,
        toIsoUtc(e.start),
        toIsoUtc(e.end),
        String(e.intensity),
        e.kind,
        toIsoUtc(e.knownAt),
        e.tags.join(","),
        e.account === undefined ? "(all)" : `@${e.account}`,
        ...(a.all ? [e.retracted ? "retracted" : "active"] : [])
      ])
      yield* Console.log(renderTable(header, rows))
    }
    return events
  })


// ---- import ------------------------------------------------------------------------------------

export const importEvents = (file: string, text: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const parsed = parseImportFile(text)
    const problems: string[] = parsed.ok ? [] : [...parsed.errors]
    const rows = parsed.ok ? parsed.rows : []
    const now = yield* Clock.currentTimeMillis
    const context = { codeVersion: codeVersion(), correlationId: randomUUID() }
    const appends: Array<{ stream: string; events: ReadonlyArray<NewEvent>; expected: ExpectedRevision }> = []
    const seen = new Map<string, string>()
    let alreadyPresent = 0
    for (const row of rows) {
      const curated = curatedFromInput(row.input, now)
      if (Either.isLeft(curated)) {
        problems.push(`${row.where}: ${curated.left.message}`)
        continue
      }
      const data = curated.right
      const twin = seen.get(data.eventId)
      if (twin !== undefined) {
        problems.push(`${row.where}: the same event (${data.eventId}) as ${twin}`)
        continue
      }
      seen.set(data.eventId, row.where)
      const history = yield* readExogenousHistory(data.eventId)
      const existing = currentState(history)
      if (existing !== undefined) {
        // Re-importing the same file is a no-op; a different event under the same id is a conflict.
        const first = history[0]!.data as typeof data
        const same =
          first.name === data.name &&
          first.start === data.start &&
          first.end === data.end &&
          first.intensity === data.intensity &&
          first.kind === data.kind &&
          JSON.stringify(first.tags) === JSON.stringify(data.tags) &&
          (row.input.knownAt === undefined || first.knownAt === data.knownAt)
        if (same) alreadyPresent++
        else problems.push(`${row.where}: exogenous event ${data.eventId} ("${existing.name}") already exists with other fields`)
        continue
      }
      appends.push({ stream: exogenousStream(data.eventId), events: encodeAll([{ type: "ExogenousEventCurated", data }], 0, context), expected: ExpectedRevision.noStream })
    }
    if (problems.length > 0) {
      for (const p of problems) yield* Console.error(`${file}: ${p}`)
      return yield* new ImportRejected({ file, problems: problems.length })
    }
    // One appendMany: a single transaction on the SQL stores, so the import is all or nothing.
    if (appends.length > 0) yield* store.appendMany(appends)
    yield* catchUpProjections
    yield* Console.log(`imported ${file}: ${rows.length} events, ${appends.length} new, ${alreadyPresent} already present`)
    return { rows: rows.length, added: appends.length, alreadyPresent }
  })

/** `enrich import FILE`: reads the file (a usage error when it cannot), then imports it. */
export const importEventsFromFile = (file: string) =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (e) => new UsageError({ message: `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}` })
    })
    return yield* importEvents(file, text)
  })

// ---- the command's entry points: the configured store provided once, at the edge ----
export const runAddEvent = (a: AddEventArgs) => addEvent(a).pipe(Effect.provide(StoreLayer))
export const runReviseEvent = (a: ReviseArgs) => reviseEvent(a).pipe(Effect.provide(StoreLayer))
export const runRetractEvent = (a: Parameters<typeof retractEvent>[0]) => retractEvent(a).pipe(Effect.provide(StoreLayer))
export const runListEvents = (a: Parameters<typeof listEvents>[0]) => listEvents(a).pipe(Effect.provide(StoreLayer))
export const runImportEvents = (file: string) => importEventsFromFile(file).pipe(Effect.provide(StoreLayer))
