/**
 * enrich and features programs on a real embedded store (PGlite in a temp directory): the seed's
 * command verbatim through @effect/cli, the curation rules end to end, all-or-nothing import, and the
 * no-look-ahead rule as seen by `enrich list --at` and `features show --as-of`.
 */
import { Command } from "@effect/cli"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStoreSql } from "../../src/adapters/event-store/sql"
import { migrated } from "../../src/adapters/sql/migrator"
import { SqlDatabasePglite } from "../../src/adapters/sql/pglite"
import { ExpectedRevision } from "../../src/domain/events/envelope"
import { RegimeShiftDetected } from "../../src/domain/events/regime"
import { featureColumn } from "../../src/domain/features/matrix"
import { defaultFeatureSpec } from "../../src/domain/features/spec"
import { EventStore } from "../../src/domain/ports/event-store"
import { errorLine, exitCodeFor, primaryError } from "../../src/programs/cli/cli-errors"
import { accountsList } from "../../src/programs/accounts/program"
import { addEvent, importEvents, listEvents, retractEvent, reviseEvent } from "../../src/programs/enrich/program"
import { enrichCommand } from "../../src/programs/enrich/command"
import { showFeatures } from "../../src/programs/features/program"
import { featuresCommand } from "../../src/programs/features/command"
import { importRows } from "../../src/programs/import/program"
import { exogenousProjection } from "../../src/projections/exogenous"
import { verify } from "../../src/projections/verify"
import { runCli, testEnvironment } from "../support/cli"
import { withTempDataDir } from "../support/pglite"

const root = withTempDataDir("mt-enrich-")
// The programs print through Effect's Console: this test's Console records it (no spies).
const captured = testEnvironment({})
const layer = Layer.provideMerge(EventStoreSql, migrated(SqlDatabasePglite(join(root, "store")))).pipe(Layer.provideMerge(captured.layer))
let rt: ManagedRuntime.ManagedRuntime<Layer.Layer.Success<typeof layer>, Layer.Layer.Error<typeof layer>>
const run = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof layer>>) => rt.runPromise(effect)
const runExit = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof layer>>) => rt.runPromiseExit(effect)
const failure = (exit: Exit.Exit<unknown, unknown>) => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return primaryError(exit.cause)
}

const H = 3_600_000
const none = Option.none<string>()
const some = (s: string) => Option.some(s)
const seedArgs = { name: "Tesla Q4 Earnings", start: "2025-01-15T00:00:00Z", end: "2025-01-15T23:59:59Z", intensity: "0.8", knownAt: none, kind: none, tag: [], account: none }

beforeAll(async () => {
  rt = ManagedRuntime.make(layer)
  // One tweet at minute 10 of every hour of 2025-01-01 .. 2025-01-10.
  const rows = Array.from({ length: 10 * 24 }, (_, i) => ({
    tweetId: String(1_870_000_000_000_000_000n + BigInt(i)),
    createdAt: Date.parse("2025-01-01T00:10:00Z") + i * H,
    kind: "post" as const,
    line: i + 2
  }))
  await run(importRows(rows, "elonmusk", "fixture"))
})
afterAll(async () => {
  await rt.dispose()
})

describe("the CLI, verbatim", () => {
  it("runs the seed's add-event example and shows it in enrich list", async () => {
    const cli = Command.run(Command.make("musktracker").pipe(Command.withSubcommands([enrichCommand, featuresCommand])), { name: "musktracker", version: "0" })
    const env = { MUSKTRACKER_DATA_DIR: join(root, "cli") }
    const added = await runCli(
      cli,
      ["enrich", "add-event", "--name", "Tesla Q4 Earnings", "--start", "2025-01-15T00:00:00Z", "--end", "2025-01-15T23:59:59Z", "--intensity", "0.8"],
      env
    )
    expect(Exit.isSuccess(added.exit), Exit.isFailure(added.exit) ? Cause.pretty(added.exit.cause) : "").toBe(true)
    expect(added.stdout).toMatch(/added exogenous event [0-9a-f-]{36}: "Tesla Q4 Earnings" 2025-01-15T00:00:00Z \.\. 2025-01-15T23:59:59Z, intensity 0\.8, unscheduled, every account, known at /)
    const scoped = await runCli(
      cli,
      ["enrich", "add-event", "--name", "Launch", "--start", "2025-01-16T00:00:00Z", "--end", "2025-01-16T01:00:00Z", "--intensity", "0.4", "--account", "@SpaceX"],
      env
    )
    expect(scoped.stdout).toMatch(/: "Launch" 2025-01-16T00:00:00Z \.\. 2025-01-16T01:00:00Z, intensity 0\.4, unscheduled, @spacex only, known at /)
    const listed = await runCli(cli, ["enrich", "list"], env)
    expect(Exit.isSuccess(listed.exit)).toBe(true)
    expect(`\n${listed.stdout}`).toMatch(/\n[0-9a-f-]{36}\s+Tesla Q4 Earnings\s+2025-01-15T00:00:00Z\s+2025-01-15T23:59:59Z\s+0\.8\s+unscheduled/)
  })
})

describe("curation through the store", () => {
  it("adds, revises and retracts; the read model and the as-of view follow; a malformed value is one line with exit 2", async () => {
    const before = Date.now()
    const added = await run(addEvent({ ...seedArgs, tag: ["tesla", "earnings"] }))
    const id = added.eventId
    expect(added.state.knownAt).toBeGreaterThanOrEqual(before)
    expect(failure(await runExit(addEvent(seedArgs)))).toMatchObject({ _tag: "ExogenousEventExists" })

    const bad = failure(await runExit(addEvent({ ...seedArgs, name: "x", intensity: "1.2" })))
    expect(exitCodeFor(bad)).toBe(2) // a usage error, as the README promises for malformed values
    expect(errorLine(bad)).toBe('invalid intensity: "1.2" is not a number in [0, 1]')

    const revised = await run(reviseEvent({ id, name: none, start: none, end: none, intensity: some("0.5"), knownAt: none, revisionKnownAt: none }))
    expect(revised.state.intensity).toBe(0.5)
    const revisedAt = Date.parse(revised.events[0]!.data.knownAt)
    expect(revisedAt).toBeGreaterThan(added.state.knownAt)

    const now = await run(listEvents({ at: none, all: false, format: "table" }))
    expect(now.find((e) => e.eventId === id)).toMatchObject({ intensity: 0.5, tags: ["tesla", "earnings"] })
    // Between the curation and the revision, the old intensity; before the curation, nothing.
    const between = await run(listEvents({ at: some(new Date(added.state.knownAt + 1).toISOString()), all: false, format: "json" }))
    expect(between.find((e) => e.eventId === id)).toMatchObject({ intensity: 0.8 })
    const earlier = await run(listEvents({ at: some("2025-01-20T00:00:00Z"), all: false, format: "table" }))
    expect(earlier.find((e) => e.eventId === id)).toBeUndefined()

    await run(retractEvent({ id, reason: "test", knownAt: none }))
    expect((await run(listEvents({ at: none, all: false, format: "table" }))).find((e) => e.eventId === id)).toBeUndefined()
    expect((await run(listEvents({ at: none, all: true, format: "table" }))).find((e) => e.eventId === id)).toMatchObject({ retracted: true })
    const e = failure(await runExit(reviseEvent({ id, name: some("Y"), start: none, end: none, intensity: none, knownAt: none, revisionKnownAt: none })))
    expect(e).toMatchObject({ _tag: "ExogenousEventIsRetracted" })
    expect(failure(await runExit(listEvents({ at: some("last week"), all: false, format: "table" })))).toMatchObject({ _tag: "UsageError" })
  })

  it("imports all or nothing, and a re-import is a no-op", async () => {
    const good = [
      { name: "Launch A", start: "2025-02-01T10:00:00Z", end: "2025-02-01T12:00:00Z", intensity: 0.4, kind: "scheduled", knownAt: "2025-01-20T00:00:00Z" },
      { name: "News B", start: "2025-02-03T10:00:00+01:00", end: "2025-02-03T11:00:00+01:00", intensity: "0.9", knownAt: "2025-02-03T09:30:00Z", tags: ["x"] }
    ]
    const bad = [...good, { name: "Broken", start: "2025-02-05T00:00:00Z", end: "2025-02-04T00:00:00Z", intensity: 0.1 }]
    const count = async () => (await run(listEvents({ at: none, all: true, format: "table" }))).length
    const n0 = await count()
    const rejected = failure(await runExit(importEvents("bad.json", JSON.stringify(bad))))
    expect(rejected).toMatchObject({ _tag: "ImportRejected", problems: 1 })
    expect(captured.output.err).toContain(
      "bad.json: event 3: invalid end: 2025-02-04T00:00:00Z precedes start 2025-02-05T00:00:00Z"
    )
    expect(await count()).toBe(n0)
    expect(await run(importEvents("good.json", JSON.stringify(good)))).toEqual({ rows: 2, added: 2, alreadyPresent: 0 })
    expect(await count()).toBe(n0 + 2)
    expect(await run(importEvents("good.json", JSON.stringify(good)))).toEqual({ rows: 2, added: 0, alreadyPresent: 2 })
    const listed = await run(listEvents({ at: none, all: false, format: "table" }))
    expect(listed.find((e) => e.name === "News B")).toMatchObject({ start: Date.parse("2025-02-03T09:00:00Z"), intensity: 0.9, kind: "unscheduled" })
    // The same natural key with other fields is a conflict, and the whole file is refused.
    const csv = "name,start,end,intensity\nLaunch A,2025-02-01T10:00:00Z,2025-02-01T12:00:00Z,0.7\nNew C,2025-03-01T00:00:00Z,2025-03-01T01:00:00Z,0.2\n"
    expect(failure(await runExit(importEvents("c.csv", csv)))).toMatchObject({ _tag: "ImportRejected", problems: 1 })
    expect(await count()).toBe(n0 + 2)
  })
})

describe("features show", () => {
  it("an event added today with past dates changes features as of today, not as of an earlier cutoff; a later revision does not leak back", async () => {
    const added = await run(
      addEvent({ name: "Past news", start: "2025-01-05T00:00:00Z", end: "2025-01-05T02:59:59Z", intensity: "0.6", knownAt: none, kind: none, tag: [], account: none })
    )
    const show = (asOf: Option.Option<string>) =>
      run(showFeatures({ account: Option.none(), from: "2025-01-05T00:00:00Z", to: "2025-01-05T04:00:00Z", columns: ["exo_intensity,lag_1", "roll_mean_24"], asOf, format: "csv" }))
    const today = await show(none)
    expect([...featureColumn(today, "exo_intensity")]).toEqual([0.6, 0.6, 0.6, 0])
    expect([...featureColumn(today, "lag_1")]).toEqual([1, 1, 1, 1])
    expect([...featureColumn(today, "roll_mean_24")]).toEqual([1, 1, 1, 1])
    const earlier = await show(some("2025-01-06T00:00:00Z"))
    expect([...featureColumn(earlier, "exo_intensity")]).toEqual([0, 0, 0, 0])
    expect([...featureColumn(earlier, "lag_1")]).toEqual([1, 1, 1, 1])
    // Before the hours themselves, their history is not knowable.
    const before = await show(some("2025-01-05T01:00:00Z"))
    expect(featureColumn(before, "lag_1")[1]).toBe(1) // hour 00 is complete at 01:00
    expect(featureColumn(before, "lag_1")[2]).toBeNaN() // hour 01 is not

    await run(reviseEvent({ id: added.eventId, name: none, start: none, end: none, intensity: some("0.2"), knownAt: none, revisionKnownAt: none }))
    expect([...featureColumn(await show(none), "exo_intensity")]).toEqual([0.2, 0.2, 0.2, 0])
    const between = await show(some(new Date(added.state.knownAt + 1).toISOString()))
    expect([...featureColumn(between, "exo_intensity")]).toEqual([0.6, 0.6, 0.6, 0])
  })

  it("an event scoped to one account bears on that account's features only; a global one on every account's", async () => {
    const hours = { from: "2025-01-05T05:00:00Z", to: "2025-01-05T08:00:00Z", columns: ["exo_intensity"], asOf: none, format: "csv" as const }
    const exo = async (account: string) => [...featureColumn(await run(showFeatures({ ...hours, account: some(account) })), "exo_intensity")]
    const other = await run(addEvent({ name: "Other's launch", start: "2025-01-05T05:00:00Z", end: "2025-01-05T05:59:59Z", intensity: "0.9", knownAt: none, kind: none, tag: [], account: some("@Other_Acct") }))
    expect(other.state.account).toBe("other_acct")
    // The same name and times scoped to another account is another event (its natural key names the account).
    const own = await run(addEvent({ name: "Other's launch", start: "2025-01-05T05:00:00Z", end: "2025-01-05T05:59:59Z", intensity: "0.3", knownAt: none, kind: none, tag: [], account: some("elonmusk") }))
    expect(own.eventId).not.toBe(other.eventId)
    await run(addEvent({ name: "Global news", start: "2025-01-05T06:00:00Z", end: "2025-01-05T06:59:59Z", intensity: "0.5", knownAt: none, kind: none, tag: [], account: none }))
    expect(await exo("elonmusk")).toEqual([0.3, 0.5, 0])
    expect(await exo("other_acct")).toEqual([0.9, 0.5, 0])
    // An account the store knows nothing of (no tweet, run or scoped event) is refused, not shown as quiet.
    const unknown = failure(await runExit(showFeatures({ ...hours, account: some("third_one") })))
    expect(exitCodeFor(unknown)).toBe(1)
    expect(errorLine(unknown)).toMatch(/^the store knows no account @third_one \(no tweet, ingest run or curated event of it\); accounts in the store: .*@other_acct/)
    // other_acct has no tweet yet, only its scoped event: accounts list shows it, as counts knows it.
    const accounts = await run(accountsList({ format: "json" }))
    expect(accounts.find((a) => a.account === "other_acct")).toMatchObject({ tweets: 0, lastIngest: null, latestForecast: null })
    expect(accounts.map((a) => a.account)).not.toContain("third_one")
    const listed = await run(listEvents({ at: none, all: false, format: "json", account: some("third_one") }))
    expect(listed.map((e) => e.name)).toContain("Global news")
    expect(listed.map((e) => e.name)).not.toContain("Other's launch")
    const bad = failure(await runExit(addEvent({ name: "x", start: "2025-01-05T05:00:00Z", end: "2025-01-05T05:59:59Z", intensity: "0.3", knownAt: none, kind: none, tag: [], account: some("not valid") })))
    expect(exitCodeFor(bad)).toBe(2)
    expect(errorLine(bad)).toMatch(/^invalid account: "not valid" is not an X handle/)
  })

  it("adds regime columns once a regime shift is known at the cutoff", async () => {
    const data = {
      account: "elonmusk",
      detector: "bocpd" as const,
      at: "2025-01-04T00:00:00Z",
      detectedAt: "2025-01-07T00:00:00Z",
      probability: 0.9,
      runLength: null,
      levelBefore: 24,
      levelAfter: 24
    }
    await run(
      Effect.gen(function* () {
        const store = yield* EventStore
        const { stream, event } = RegimeShiftDetected.toAppend(data, { codeVersion: "test" })
        yield* store.append(stream, [event], ExpectedRevision.any)
      })
    )
    const show = (asOf: Option.Option<string>) =>
      run(showFeatures({ account: Option.none(), from: "2025-01-03T22:00:00Z", to: "2025-01-04T02:00:00Z", columns: [], asOf, format: "table" }))
    const after = await show(none)
    expect([...featureColumn(after, "regime_index")]).toEqual([0, 0, 1, 1])
    expect([...featureColumn(after, "regime_1")]).toEqual([0, 0, 1, 1])
    expect(after.columns.slice(0, 9)).toEqual(defaultFeatureSpec().columns.slice(0, 9))
    // Detected on 2025-01-07: a cutoff before that has no regime columns at all.
    const before = await show(some("2025-01-06T00:00:00Z"))
    expect(before.columns).toEqual(defaultFeatureSpec().columns)
  })

  it("refuses malformed ranges and columns as usage errors", async () => {
    const base = { account: none, from: "2025-01-05T00:00:00Z", to: "2025-01-05T04:00:00Z", columns: [], asOf: none, format: "table" as const }
    for (const patch of [{ from: "2025-01-05T00:30:00Z" }, { to: "2025-01-04T00:00:00Z" }, { columns: ["lag_0"] }, { asOf: some("soon") }]) {
      const e = failure(await runExit(showFeatures({ ...base, ...patch })))
      expect(e).toMatchObject({ _tag: "UsageError" })
      expect(exitCodeFor(e)).toBe(2)
    }
  })
})

describe("the exogenous projection", () => {
  it("rebuilt from zero, in one batch or one event at a time, equals the tables built command by command", async () => {
    for (const batchSize of [1, 1000]) {
      const report = await run(verify(exogenousProjection, { batchSize }))
      expect(report.differences, JSON.stringify(report.tables, (_, v) => (typeof v === "bigint" ? String(v) : v))).toBe(0)
      const events = report.tables.find((t) => t.table === "exogenous_events")!
      expect(events.liveRows).toBeGreaterThanOrEqual(4)
      expect(report.tables.find((t) => t.table === "exogenous_event_log")!.liveRows).toBeGreaterThan(events.liveRows)
    }
  })
})
