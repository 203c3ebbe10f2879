/**
 * `musktracker regimes detect` and `regimes list`.
 *
 * detect: replays the log (loadKnowledge: tweets of every kind of one account), counts posts per UTC
 * day, runs the chosen detector(s) online (src/domain/regimes: a detection at day d uses only days
 * before d) and appends every detection as RegimeShiftDetected to `regime-<account>`. Event ids are
 * UUID v5 of (account, detector, regime start, detection time), and only ids not yet in the stream are
 * appended, so a re-run over the same data appends nothing; with more data it appends only the new
 * detections (online detectors do not revise earlier ones).
 *
 * Days: from the day of the first tweet through the day BEFORE the day of the newest tweet. The newest
 * tweet's day may still be in progress (ingestion runs during the day), and a partial day would look
 * like a collapse of the posting level.
 *
 * list: the `regimes` read model, after catching up.
 */
import { Console, Effect, Option } from "effect"
import { randomUUID } from "node:crypto"
import { codeVersion } from "../../adapters/code-version"
import type { NewEvent, RecordedEvent } from "../../domain/events/envelope"
import { RegimeShiftDetected, regimeShiftData, regimeStream, type RegimeShiftDetectedData } from "../../domain/events/regime"
import { DAY_MS, toIsoUtc } from "../../domain/time"
import { regimesList, type RegimeRow } from "../../projections/queries/regimes"
import { catchUpProjections } from "../catch-up"
import { completeDays, runDetectors } from "../../domain/regimes/run"
import type { DetectorChoice } from "../../domain/regimes/types"
import { day, shiftCells, shiftJson, SHIFT_HEADER } from "./render"
import { counted, renderJson, renderTable } from "../cli/format"
import { StoreLayer } from "../layers"
import { loadKnowledge } from "../knowledge"
import { accountFilter, resolveAccount } from "../cli/account"
import { handleCommand } from "../command-handler"



export interface DetectedShift {
  readonly eventId: string
  readonly data: RegimeShiftDetectedData
  /** False when the stream already held this detection (a re-run). */
  readonly appended: boolean
}

export interface DetectReport {
  readonly account: string
  readonly stream: string
  /** Days analysed: [from, to) as epoch ms, or undefined when the log holds less than one complete day. */
  readonly days: { readonly from: number; readonly to: number } | undefined
  readonly tweets: number
  readonly detections: ReadonlyArray<DetectedShift>
  readonly appended: number
}

/** Appends the events whose ids the stream lacks; decided again when another writer moved the stream meanwhile. */
const appendMissing = (stream: string, events: ReadonlyArray<NewEvent>) =>
  Effect.map(
    handleCommand({
      stream,
      decode: (recorded: RecordedEvent) => Effect.succeed<NewEvent>(recorded),
      initial: new Set<string>(),
      evolve: (present, event) => present.add(event.id),
      decide: (present) => Effect.succeed(events.filter((e) => !present.has(e.id))),
      encode: (missing) => missing,
      retries: 5
    }),
    ({ events: appended }) => new Set(appended.map((e) => e.id))
  )

/** The detect program without output: detect, append what is new, report. Needs EventStore. */
export const detectRegimes = (options: { readonly account: string; readonly detector: DetectorChoice }) =>
  Effect.gen(function* () {
    const { account } = options
    const loaded = yield* loadKnowledge({ kinds: ["post", "reply", "quote", "retweet"], account })
    const times = loaded.knowledge.tweetTimes
    const series = completeDays(times)
    const stream = regimeStream(account)
    if (series === undefined) return { account, stream, days: undefined, tweets: times.length, detections: [], appended: 0 } satisfies DetectReport
    const context = { codeVersion: codeVersion(), correlationId: randomUUID() }
    const shifts = runDetectors(series, options.detector).map(({ detection, settings }) => {
      const data = regimeShiftData(account, detection, settings)
      return { data, event: RegimeShiftDetected.encode(data, context) }
    })
    const written = shifts.length === 0 ? new Set<string>() : yield* appendMissing(stream, shifts.map((s) => s.event))
    return {
      account,
      stream,
      days: { from: series.start, to: series.start + series.counts.length * DAY_MS },
      tweets: times.length,
      detections: shifts.map((s) => ({ eventId: s.event.id, data: s.data, appended: written.has(s.event.id) })),
      appended: written.size
    } satisfies DetectReport
  })

/** `regimes detect`: runs detectRegimes and prints the detections. */
export const regimesDetect = (options: { readonly account: string; readonly detector: DetectorChoice; readonly format: "table" | "json" }) =>
  Effect.gen(function* () {
    const report = yield* detectRegimes(options)
    if (options.format === "json") {
      yield* Console.log(
        renderJson({
          account: report.account,
          stream: report.stream,
          days: report.days && { from: toIsoUtc(report.days.from), to: toIsoUtc(report.days.to) },
          tweets: report.tweets,
          appended: report.appended,
          detections: report.detections.map((s) => shiftJson(s.data, { event_id: s.eventId, new: s.appended }))
        })
      )
      return report
    }
    if (report.days === undefined) {
      yield* Console.log(`no complete UTC day of @${report.account} tweets in the log (${counted(report.tweets, "tweet")}): nothing to detect`)
      return report
    }
    if (report.detections.length > 0)
      yield* Console.log(
        renderTable(
          [...SHIFT_HEADER, "new"],
          report.detections.map((s) => [...shiftCells(s.data), s.appended ? "yes" : "no"])
        )
      )
    const nDays = (report.days.to - report.days.from) / DAY_MS
    yield* Console.log(
      `${counted(report.detections.length, "regime shift")} in ${counted(nDays, "day")} of @${report.account} ` +
        `(${day(report.days.from)} .. ${day(report.days.to - DAY_MS)}, ${counted(report.tweets, "tweet")}); ` +
        `${counted(report.appended, "new event")} appended to ${report.stream}, ${report.detections.length - report.appended} already recorded`
    )
    return report
  })

const rowData = (r: RegimeRow): RegimeShiftDetectedData => ({
  account: r.account,
  detector: r.detector,
  at: toIsoUtc(r.at),
  detectedAt: toIsoUtc(r.detectedAt),
  probability: r.probability,
  runLength: r.runLength,
  levelBefore: r.levelBefore,
  levelAfter: r.levelAfter
})

/** `regimes list`: the regimes read model after catching up. */
export const regimesListProgram = (options: { readonly account?: string; readonly detector: DetectorChoice; readonly format: "table" | "json" }) =>
  Effect.gen(function* () {
    yield* catchUpProjections
    const rows = yield* regimesList({
      ...(options.account !== undefined && { account: options.account }),
      ...(options.detector !== "both" && { detector: options.detector })
    })
    if (options.format === "json") {
      yield* Console.log(renderJson(rows.map((r) => shiftJson(rowData(r), { event_id: r.eventId, position: r.position.toString() }))))
      return rows
    }
    if (rows.length === 0) {
      yield* Console.log("no regime shifts recorded (run `musktracker regimes detect`)")
      return rows
    }
    yield* Console.log(
      renderTable(
        ["account", ...SHIFT_HEADER],
        rows.map((r) => [r.account, ...shiftCells(rowData(r))])
      )
    )
    yield* Console.log(`${rows.length} regime shift${rows.length === 1 ? "" : "s"}`)
    return rows
  })

/** `regimes detect` as the CLI runs it: the account normalised, then detection on the store. */
export const runRegimesDetect = (o: { readonly account: Option.Option<string>; readonly detector: DetectorChoice; readonly format: "table" | "json" }) =>
  Effect.gen(function* () {
    const account = yield* resolveAccount(o.account)
    yield* regimesDetect({ account, detector: o.detector, format: o.format })
  }).pipe(Effect.provide(StoreLayer))

/** `regimes list` as the CLI runs it. */
export const runRegimesList = (o: { readonly account: Option.Option<string>; readonly detector: DetectorChoice; readonly format: "table" | "json" }) =>
  Effect.gen(function* () {
    const account = yield* accountFilter(o.account)
    yield* regimesListProgram({ ...(account !== undefined && { account }), detector: o.detector, format: o.format })
  }).pipe(Effect.provide(StoreLayer))
