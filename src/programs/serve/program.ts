/**
 * `musktracker serve`: one long-running process, as supervised fibers in one scope:
 * - projections following the log (what `projections follow` does);
 * - ingestion: every `--poll-every`, an incremental run of each account (rate-limit aware, as `ingest`),
 *   when X_BEARER_TOKEN is set (without it, one line says so and the rest runs);
 * - scheduled forecasts: every `--forecast-every`, for each account and each rolling window of
 *   `--windows`, a forecast issued once per slot (its id is the UUID v5 of account, window and slot, so a
 *   restart or a second server never issues it twice), then every ended window scored once;
 * - the read-only HTTP API (./http.ts) on `--listen`.
 * The API is bound first, so an address it cannot listen on ends the command before any worker starts.
 * SIGINT/SIGTERM interrupt the scope: the fibers stop between their transactions (a projection batch or
 * an append is one transaction: it lands whole or not at all), the server stops listening, the store
 * closes, and the process exits 0. A restart resumes from the checkpoints and cursors in the log.
 * On the embedded store a second `serve` on the same directory is refused by its lock (one line).
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Clock, Config, Console, Context, Data, Duration, Effect, Either, Layer, Option, Redacted, Ref, Schedule } from "effect"
import { createServer } from "node:http"
import { AppConfig, AppConfigLive } from "../../adapters/config"
import { XApiClient, XApiClientLive } from "../../adapters/x-api/client"
import type { RequestStats } from "../../adapters/x-api/rate-limit"
import { eventIdFor } from "../../domain/events/codec"
import { ALL_TWEET_KINDS } from "../../domain/events/tweet"
import { formatHorizon, parseHorizonList } from "../../domain/forecast/horizon"
import { parseWindowSchedule, scheduledWindowAt, type WindowSchedule } from "../../domain/forecast/schedule"
import { EventStore, WrongExpectedRevision } from "../../domain/ports/event-store"
import type { SqlDatabase } from "../../adapters/sql/database"
import { toIsoUtc } from "../../domain/time"
import { forecastById, listForecasts } from "../../projections/queries/forecasts"
import { dataExtent } from "../../projections/queries/counts"
import { ingestionRuns } from "../../projections/queries/ingestion"
import { projections } from "../../projections/registry"
import { follow } from "../../projections/runtime"
import { projectionStatus } from "../../projections/status"
import { catchUpProjections } from "../catch-up"
import { resolveAccounts } from "../cli/account"
import { errorLine } from "../cli/cli-errors"
import { UsageError } from "../cli/usage-error"
import { issueForecast } from "../forecast/issue"
import { scoreForecasts } from "../forecast/score"
import { ingestLookedUp, lookupAccounts, type AccountOutcome } from "../ingest/accounts"
import { StoreLayer } from "../layers"
import { makeRouter } from "./http"
import { followStream, type StreamCounters } from "./stream"
import { parseEvery, parseListen } from "./options"

export interface ServeOptions {
  readonly account: Option.Option<string>
  readonly listen: string
  readonly pollEvery: string
  readonly forecastEvery: string
  readonly windows: string
  readonly windowSchedule: ReadonlyArray<string>
  readonly maxLag: number
  /** Also follow X's filtered stream (with X_BEARER_TOKEN). */
  readonly stream: boolean
}

/** Counters the fibers keep for /metrics and /ready. */
interface ServeState {
  readonly ingestRuns: Ref.Ref<ReadonlyMap<string, { ok: number; failed: number }>>
  readonly forecastsIssued: Ref.Ref<number>
  readonly forecastsScored: Ref.Ref<number>
  readonly stream: StreamCounters
  /** The X client's request counters, once ingestion runs. */
  readonly xStats: Ref.Ref<Option.Option<Effect.Effect<RequestStats>>>
}

const usage = (message: string) => new UsageError({ message })

/** One incremental ingest of every account (as `ingest --account a,b`); failures are logged and counted, never fatal. */
const pollOnce = (accounts: ReadonlyArray<string>, state: ServeState) =>
  Effect.gen(function* () {
    // A failure of the lookup itself (no or a rejected token) fails every account of this poll.
    const outcomes = yield* Effect.flatMap(lookupAccounts(accounts), (looked) => ingestLookedUp(looked, (account) => ({ account }))).pipe(
      Effect.catchAll((error) => Effect.succeed(accounts.map((account): AccountOutcome => ({ _tag: "Failed", account, error }))))
    )
    for (const r of outcomes) {
      yield* Ref.update(state.ingestRuns, (m) => {
        const prev = m.get(r.account) ?? { ok: 0, failed: 0 }
        return new Map(m).set(r.account, r._tag === "Ingested" ? { ok: prev.ok + 1, failed: prev.failed } : { ok: prev.ok, failed: prev.failed + 1 })
      })
      if (r._tag === "Failed") yield* Effect.logWarning(`serve: ingest of @${r.account} failed: ${errorLine(r.error)} (next try in the next poll)`)
      else if (r.summary.tweetsAppended > 0) yield* Effect.logInfo(`serve: ingested ${r.summary.tweetsAppended} new posts of @${r.account}`)
    }
  })

/** The id of the forecast a slot issues: the same account, window and slot always give the same id. */
export const scheduledForecastId = (account: string, hours: number, slotStart: number): string =>
  eventIdFor(`serve-forecast:${account}:${formatHorizon(hours)}:${toIsoUtc(slotStart)}`)

/** How far after the end of an account's data a calendar window may start and still be forecast. */
const STALE_WINDOW_MS = 7 * 86_400_000

/** The id of a calendar window's forecast in a slot. */
export const scheduledCalendarForecastId = (account: string, schedule: WindowSchedule, windowStart: number, slotStart: number): string =>
  eventIdFor(`serve-forecast:${account}:${schedule.label}:${toIsoUtc(windowStart)}:${toIsoUtc(slotStart)}`)

/** One scheduler tick: each account's rolling and calendar windows issued for this slot (once), then scoring. */
const forecastOnce = (accounts: ReadonlyArray<string>, windows: ReadonlyArray<number>, schedules: ReadonlyArray<WindowSchedule>, everyMs: number, state: ServeState) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const slot = Math.floor(now / everyMs) * everyMs
    yield* catchUpProjections
    const requests = (account: string) => [
      ...windows.map((hours) => ({ label: formatHorizon(hours), forecastId: scheduledForecastId(account, hours, slot), shape: { horizonHours: hours } })),
      ...schedules.map((s) => {
        const window = scheduledWindowAt(s, now)
        return { label: `${s.label} (${toIsoUtc(window.start)} .. ${toIsoUtc(window.end)})`, forecastId: scheduledCalendarForecastId(account, s, window.start, slot), shape: { window } }
      })
    ]
    for (const account of accounts) {
      const extent = yield* dataExtent(account)
      for (const { label, forecastId, shape } of requests(account)) {
        if ((yield* forecastById(forecastId)) !== undefined) continue
        // A calendar window far beyond the end of the data would be a forecast of nothing known: say so.
        if ("window" in shape && extent !== undefined && shape.window.start - extent.last > STALE_WINDOW_MS) {
          yield* Effect.logWarning(`serve: @${account}'s data ends ${toIsoUtc(extent.last)}: not forecasting ${label} (ingest first)`)
          continue
        }
        const r = yield* Effect.either(
          issueForecast({ account, forecastId, model: "best", ...shape, countKinds: ALL_TWEET_KINDS, paths: 5000, seed: 42, now })
        )
        if (Either.isRight(r)) {
          yield* Ref.update(state.forecastsIssued, (n) => n + 1)
          yield* Effect.logInfo(`serve: forecast ${forecastId} of @${account}, ${label}, from ${r.right.data.origin}`)
        } else if (!(r.left instanceof WrongExpectedRevision))
          // (A WrongExpectedRevision means another server issued this slot's forecast first: nothing to report.)
          yield* Effect.logWarning(`serve: forecast of @${account} (${label}) failed: ${errorLine(r.left)}`)
      }
      const scored = yield* Effect.either(scoreForecasts(account, now))
      if (Either.isRight(scored)) yield* Ref.update(state.forecastsScored, (n) => n + scored.right.scored.length)
      else yield* Effect.logWarning(`serve: scoring @${account} failed: ${errorLine(scored.left)}`)
    }
  })

const escapeLabel = (s: string): string => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")

/** Prometheus text exposition of the store, the projections, ingestion and forecasts. */
const metricsText = (accounts: ReadonlyArray<string>, state: ServeState, ingesting: boolean) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const status = yield* projectionStatus(projections)
    const lines: string[] = []
    const metric = (name: string, type: "gauge" | "counter", help: string, samples: ReadonlyArray<readonly [string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${Number.isFinite(value) ? value : "NaN"}`)
    }
    metric("musktracker_events_total", "counter", "Events in the log.", [["", status.events]])
    metric("musktracker_projection_lag_events", "gauge", "Events in the log after each projection's checkpoint.", status.projections.map((p) => [`{projection="${escapeLabel(p.name)}"}`, p.lag] as const))
    const runs = yield* Ref.get(state.ingestRuns)
    metric("musktracker_ingest_runs_total", "counter", "Ingest runs by this process, by account and outcome.", accounts.flatMap((a) => [
      [`{account="${a}",outcome="ok"}`, runs.get(a)?.ok ?? 0] as const,
      [`{account="${a}",outcome="failed"}`, runs.get(a)?.failed ?? 0] as const
    ]))
    if (ingesting) {
      const ages: Array<readonly [string, number]> = []
      for (const a of accounts) {
        const last = (yield* ingestionRuns({ account: a, limit: 20 })).find((r) => r.status === "completed")
        ages.push([`{account="${a}"}`, last?.completedAt === null || last === undefined ? Number.NaN : (now - last.completedAt) / 1000])
      }
      metric("musktracker_last_ingest_age_seconds", "gauge", "Seconds since the account's last completed ingest run.", ages)
    }
    const xStats = yield* Ref.get(state.xStats)
    if (Option.isSome(xStats)) {
      const x = yield* xStats.value
      metric("musktracker_x_requests_total", "counter", "Requests sent to the X API.", [["", x.requests]])
      metric("musktracker_x_request_errors_total", "counter", "X API requests that failed or were answered with an error status.", [["", x.errors]])
      metric("musktracker_x_rate_limit_waits_total", "counter", "Waits for an exhausted X rate-limit window to reset.", [["", x.rateLimitWaits]])
      metric("musktracker_x_rate_limit_wait_seconds_total", "counter", "Seconds spent waiting for X rate-limit windows.", [["", x.rateLimitWaitMs / 1000]])
    }
    metric("musktracker_stream_connects_total", "counter", "Filtered-stream connections that delivered data.", [["", yield* Ref.get(state.stream.connects)]])
    metric("musktracker_stream_reconnects_total", "counter", "Filtered-stream disconnects followed by a reconnect.", [["", yield* Ref.get(state.stream.reconnects)]])
    metric("musktracker_stream_posts_total", "counter", "Posts the filtered stream added to the log.", [["", yield* Ref.get(state.stream.posts)]])
    metric("musktracker_forecasts_issued_total", "counter", "Forecasts issued by this process's scheduler.", [["", yield* Ref.get(state.forecastsIssued)]])
    metric("musktracker_forecasts_scored_total", "counter", "Forecasts scored by this process's scheduler.", [["", yield* Ref.get(state.forecastsScored)]])
    const crps: Array<readonly [string, number]> = []
    for (const a of accounts) {
      const scored = (yield* listForecasts({ account: a, scored: true })).filter((f) => f.score !== null)
      crps.push([`{account="${a}"}`, scored.length === 0 ? Number.NaN : scored.reduce((s, f) => s + f.score!.crps, 0) / scored.length])
    }
    metric("musktracker_scored_crps_mean", "gauge", "Mean CRPS of the account's scored forecasts (window total).", crps)
    return lines.join("\n") + "\n"
  }).pipe(Effect.orElseSucceed(() => "# metrics unavailable: the store did not answer\n"))

/** /ready: the store answers, every projection lags by at most `maxLag` events, ingestion is recent. */
const readiness = (accounts: ReadonlyArray<string>, maxLag: number, ingesting: boolean, pollMs: number) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const checks: Array<{ name: string; ok: boolean; detail: string }> = []
    const status = yield* Effect.either(projectionStatus(projections))
    if (Either.isLeft(status)) {
      checks.push({ name: "store", ok: false, detail: errorLine(status.left) })
    } else {
      checks.push({ name: "store", ok: true, detail: `${status.right.events} events` })
      const worst = Math.max(0, ...status.right.projections.map((p) => p.lag))
      checks.push({ name: "projections", ok: worst <= maxLag, detail: `largest lag ${worst} events (bound ${maxLag})` })
      if (ingesting)
        for (const a of accounts) {
          const runs = yield* Effect.orElseSucceed(ingestionRuns({ account: a, limit: 20 }), () => [])
          const last = runs.find((r) => r.status === "completed")?.completedAt ?? undefined
          const age = last === undefined ? undefined : now - last
          checks.push({
            name: `ingest @${a}`,
            ok: age !== undefined && age <= 3 * pollMs,
            detail: age === undefined ? "no completed ingest run yet" : `last completed ${Math.round(age / 1000)} s ago (bound ${Math.round((3 * pollMs) / 1000)} s)`
          })
        }
    }
    return { ready: checks.every((c) => c.ok), checks }
  })

/** The API's address could not be listened on (exit 1, one line). */
export class ListenFailed extends Data.TaggedError("ListenFailed")<{ readonly listen: string; readonly reason: string }> {
  override get message(): string {
    return `--listen ${this.listen}: cannot listen there: ${this.reason}`
  }
}

/** Node's reason for a failed listen, in words: the system error's code and message, else the cause as text. */
export const listenFailure = (cause: unknown): string => {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code
    if (code === "EADDRINUSE") return "the address is already in use (another process listens on it)"
    if (code === "EADDRNOTAVAIL") return "the address is not one of this machine's"
    if (code === "EACCES") return "permission denied (ports below 1024 need privileges)"
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name does not resolve"
    return cause.message
  }
  return String(cause)
}

export const serveProgram = (o: ServeOptions) =>
  Effect.gen(function* () {
    const accounts = yield* resolveAccounts(o.account)
    const listen = parseListen(o.listen)
    if (typeof listen === "string") return yield* usage(`--listen ${listen}`)
    const pollMs = parseEvery(o.pollEvery)
    if (typeof pollMs === "string") return yield* usage(`--poll-every ${pollMs}`)
    const forecastMs = parseEvery(o.forecastEvery)
    if (typeof forecastMs === "string") return yield* usage(`--forecast-every ${forecastMs}`)
    if (forecastMs < 60_000) return yield* usage(`--forecast-every ${o.forecastEvery} is shorter than a minute`)
    const windows = parseHorizonList(o.windows)
    if (typeof windows === "string") return yield* usage(`--windows ${windows}`)
    const schedules: WindowSchedule[] = []
    for (const raw of o.windowSchedule) {
      const s = parseWindowSchedule(raw)
      if (typeof s === "string") return yield* usage(`--window-schedule ${s}`)
      schedules.push(s)
    }
    if (!(o.maxLag >= 0)) return yield* usage(`--max-lag must be at least 0, got ${o.maxLag}`)
    const config = yield* AppConfig
    const token = yield* Config.option(Config.redacted("MUSKTRACKER_API_TOKEN")).pipe(Effect.map(Option.filter((t) => Redacted.value(t).trim().length > 0)))
    const ingesting = Option.isSome(config.xBearerToken)
    const state: ServeState = {
      ingestRuns: yield* Ref.make<ReadonlyMap<string, { ok: number; failed: number }>>(new Map()),
      forecastsIssued: yield* Ref.make(0),
      forecastsScored: yield* Ref.make(0),
      stream: { connects: yield* Ref.make(0), reconnects: yield* Ref.make(0), posts: yield* Ref.make(0) },
      xStats: yield* Ref.make<Option.Option<Effect.Effect<RequestStats>>>(Option.none())
    }
    const store = yield* EventStore
    yield* Console.log(`serve: ${store.describe}; accounts ${accounts.map((a) => `@${a}`).join(", ")}`)
    yield* catchUpProjections

    // The API is bound before any worker starts, so an address that cannot be listened on (in use, not
    // this machine's) ends the command with one line before a forecast or an ingest run is recorded.
    // The store's services are handed to the request handlers and the /ready and /metrics computations.
    const context = yield* Effect.context<EventStore | SqlDatabase | AppConfig>()
    const app = makeRouter({
      defaultAccount: accounts[0]!,
      token,
      ready: Effect.provide(readiness(accounts, o.maxLag, ingesting, pollMs), context),
      metrics: Effect.provide(metricsText(accounts, state, ingesting), context)
    }).pipe(Effect.provide(context))
    const built = yield* Layer.build(HttpServer.serve(app).pipe(Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { host: listen.host, port: listen.port })))).pipe(
      Effect.catchTag("ServeError", (e) => new ListenFailed({ listen: o.listen, reason: listenFailure(e.cause) }))
    )
    const address = Context.get(built, HttpServer.HttpServer).address

    yield* Effect.forkScoped(follow(projections).pipe(Effect.tapErrorCause((c) => Effect.logError(`serve: projections stopped: ${c}`))))
    if (ingesting) {
      // One client for the poller and the stream: one rate limiter, shared fairly, and one set of counters.
      const xClient = yield* Layer.build(XApiClientLive.pipe(Layer.provide(AppConfigLive)))
      yield* Ref.set(state.xStats, Option.some(Context.get(xClient, XApiClient).stats))
      const poller = pollOnce(accounts, state).pipe(Effect.provide(xClient))
      yield* Effect.forkScoped(Effect.repeat(poller, Schedule.spaced(Duration.millis(pollMs))))
      yield* Console.log(`serve: ingesting every ${o.pollEvery}`)
      if (o.stream) {
        yield* Effect.forkScoped(
          followStream(accounts, poller, state.stream).pipe(
            Effect.provide(xClient),
            Effect.tapErrorCause((c) => Effect.logError(`serve: the filtered stream stopped: ${String(c).split("\n")[0]} (polling goes on)`))
          )
        )
        yield* Console.log("serve: following X's filtered stream (rules from:<account>)")
      }
    } else yield* Console.log(`serve: X_BEARER_TOKEN is not set: no ingestion${o.stream ? " and no stream" : ""} (the API serves what the store holds)`)
    yield* Effect.forkScoped(
      Effect.repeat(
        forecastOnce(accounts, windows, schedules, forecastMs, state).pipe(Effect.catchAllCause((c) => Effect.logWarning(`serve: forecast tick failed: ${String(c).split("\n")[0]}`))),
        Schedule.spaced(Duration.millis(forecastMs))
      )
    )
    yield* Console.log(`serve: forecasting ${[...windows.map((h) => formatHorizon(h)), ...schedules.map((s) => s.label)].join(", ")} every ${o.forecastEvery}`)

    const where = address._tag === "TcpAddress" ? `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}` : address.path
    yield* Console.log(`serve: listening on ${where} (${Option.isSome(token) ? "bearer token required" : "no token"})`)
    return yield* Effect.never
  })

export const runServe = (o: ServeOptions) => Effect.scoped(serveProgram(o)).pipe(Effect.provide(StoreLayer))

