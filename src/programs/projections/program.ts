/**
 * `musktracker projections status|rebuild NAME|verify [NAME]`, and `catchUpAll`, which every program
 * that reads read models runs first. The Effect programs need SqlDatabase and EventStore; the Command
 * objects at the bottom provide them from the configuration (StoreLayer).
 */
import { Console, Data, Effect, Option } from "effect"
import { toIsoUtc } from "../../domain/time"
import type { Projection } from "../../projections/projection"
import { rebuild, rebuildAccount, type RebuildResult } from "../../projections/rebuild"
import { accountFilter } from "../cli/account"
import { renderTable } from "../cli/format"
import { findProjection, projectionNames, projections } from "../../projections/registry"
import { follow } from "../../projections/runtime"
import { projectionStatus, type StatusReport } from "../../projections/status"
import { verify, verifyAll, type JsonRow, type TableDiff, type VerifyReport } from "../../projections/verify"
import { catchUpProjections } from "../catch-up"
import { UsageError } from "../cli/usage-error"
import { StoreLayer } from "../layers"

/** `verify` found differences (printed before this error): exit 1. */
export class VerifyFailed extends Data.TaggedError("VerifyFailed")<{
  readonly differences: number
  readonly projections: ReadonlyArray<string>
}> {
  override get message(): string {
    return `verify: ${this.differences} difference${this.differences === 1 ? "" : "s"} in ${this.projections.join(", ")} (live read model differs from a replay of the log)`
  }
}

const lookup = (name: string): Effect.Effect<Projection, UsageError> => {
  const p = findProjection(name)
  return p
    ? Effect.succeed(p)
    : Effect.fail(new UsageError({ message: `unknown projection "${name}" (known: ${projectionNames().join(", ")})` }))
}

export const formatStatus = (r: StatusReport): string =>
  [
    `event store: ${r.store}`,
    `read models: ${r.database}`,
    `events: ${r.events}, last position: ${r.lastPosition ?? "none"}`,
    renderTable(
      ["projection", "checkpoint", "lag", "updated"],
      r.projections.map((p) => [p.name, p.checkpoint.toString(), p.lag, p.updatedAt ? toIsoUtc(p.updatedAt.getTime()) : "never"])
    )
  ].join("\n")

/** The status as JSON-ready data (positions as strings: they may exceed 2^53). */
export const statusJson = (r: StatusReport) => ({
  store: r.store,
  database: r.database,
  events: r.events,
  lastPosition: r.lastPosition?.toString() ?? null,
  projections: r.projections.map((p) => ({
    name: p.name,
    checkpoint: p.checkpoint.toString(),
    lag: p.lag,
    updatedAt: p.updatedAt ? toIsoUtc(p.updatedAt.getTime()) : null
  }))
})

export const projectionsStatus = Effect.gen(function* () {
  const report = yield* projectionStatus(projections)
  yield* Console.log(formatStatus(report))
  return report
})

export const formatRebuild = (r: RebuildResult, account?: string): string =>
  `rebuilt ${account === undefined ? "" : `@${account}'s rows of `}${r.projection} from ${r.events} events, checkpoint ${r.position}: ` +
  r.tables.map((t) => `${t.table} ${t.rows} rows`).join(", ")

export const projectionsRebuild = (name: string, flag: Option.Option<string> = Option.none()) =>
  Effect.gen(function* () {
    const account = yield* accountFilter(flag)
    const projection = yield* lookup(name)
    if (account !== undefined) yield* catchUpProjections
    const result = account === undefined ? yield* rebuild(projection) : yield* rebuildAccount(projection, account)
    yield* Console.log(formatRebuild(result, account))
    return result
  })

const json = (v: unknown): string => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x))

const keyText = (row: JsonRow, pk: ReadonlyArray<string>): string => pk.map((c) => `${c}=${json(row[c])}`).join(", ")

/** Columns whose values differ, as `col: live → rebuilt`. */
const changedColumns = (live: JsonRow, rebuilt: JsonRow): string =>
  [...new Set([...Object.keys(live), ...Object.keys(rebuilt)])]
    .filter((c) => json(live[c]) !== json(rebuilt[c]))
    .map((c) => `${c}: live ${json(live[c])}, rebuilt ${json(rebuilt[c])}`)
    .join("; ")

/** Lines printed per table at most; the counts always cover everything. */
export const MAX_PRINTED_ROWS = 50

const formatTable = (t: TableDiff): string[] => {
  const n = t.missing.length + t.unexpected.length + t.changed.length
  const head = `  ${t.table}: ${t.liveRows} live rows, ${t.rebuiltRows} rebuilt rows` + (n === 0 ? ", identical" : `, ${n} differing`)
  const lines = [head]
  const detail: string[] = [
    ...t.changed.map((c) => `    changed    (${keyText(c.live, t.primaryKey)}): ${changedColumns(c.live, c.rebuilt)}`),
    ...t.missing.map((r) => `    missing    (${keyText(r, t.primaryKey)}): rebuilt row ${json(r)} is not in the live table`),
    ...t.unexpected.map((r) => `    unexpected (${keyText(r, t.primaryKey)}): live row ${json(r)} is not produced by a replay`)
  ]
  lines.push(...detail.slice(0, MAX_PRINTED_ROWS))
  if (detail.length > MAX_PRINTED_ROWS) lines.push(`    ... and ${detail.length - MAX_PRINTED_ROWS} more`)
  return lines
}

export const formatVerify = (r: VerifyReport, account?: string): string =>
  [
    `verify ${r.projection}${account === undefined ? "" : ` (@${account}'s rows and shared ones)`}: ${r.differences === 0 ? "OK" : `${r.differences} difference${r.differences === 1 ? "" : "s"}`} ` +
      `(replayed ${r.events} events up to the live checkpoint ${r.position})`,
    ...r.tables.flatMap(formatTable)
  ].join("\n")

/**
 * Verifies one projection, or all (one replay for all those at the same checkpoint); prints each
 * report; fails with VerifyFailed if any differs.
 */
export const projectionsVerify = (name?: string, flag: Option.Option<string> = Option.none()) =>
  Effect.gen(function* () {
    const account = yield* accountFilter(flag)
    const options = account === undefined ? {} : { account }
    // Bring every read model up to the log first: an audit of a read model that lags the log would
    // leave the newest events unchecked.
    yield* catchUpProjections
    const reports: ReadonlyArray<VerifyReport> = name === undefined ? yield* verifyAll(projections, options) : [yield* verify(yield* lookup(name), options)]
    for (const report of reports) yield* Console.log(formatVerify(report, account))
    const failed = reports.filter((r) => r.differences > 0)
    if (failed.length > 0)
      return yield* new VerifyFailed({ differences: failed.reduce((n, r) => n + r.differences, 0), projections: failed.map((r) => r.projection) })
    return reports
  })

/** Keeps every read model current as events commit (a long-running projector; Ctrl-C stops it between batches). */
export const projectionsFollow = Effect.gen(function* () {
  yield* Effect.logInfo(`following the log for ${projectionNames().join(", ")}; Ctrl-C to stop`)
  return yield* follow(projections)
})

// ---- the command's entry points: the configured store provided once, at the edge ----
export const runProjectionsStatus = projectionsStatus.pipe(Effect.provide(StoreLayer))
export const runProjectionsRebuild = (name: string, account: Option.Option<string>) => projectionsRebuild(name, account).pipe(Effect.provide(StoreLayer))
export const runProjectionsVerify = (name: string | undefined, account: Option.Option<string>) => projectionsVerify(name, account).pipe(Effect.provide(StoreLayer))
export const runProjectionsFollow = projectionsFollow.pipe(Effect.provide(StoreLayer))
