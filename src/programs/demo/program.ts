/**
 * `musktracker demo`: the whole job on a fresh embedded store, with no server and no X credentials.
 *
 * 1. Simulates a realistic posting history with the project's own Hawkes simulator (src/domain/demo).
 * 2. Serves it from the project's local X API stand-in on 127.0.0.1 and ingests it through the real
 *    X API client and ingestion program: a first backfill, then incremental runs as the history
 *    "arrives" in 3-week slices (each under X's 3,200-post timeline reach, as a tracker run every few
 *    weeks would see it).
 * 3. Projects the read models, detects regimes, trains every model with a short backtest, forecasts
 *    the next 7 days with count brackets, and reproduces that forecast from the log.
 */
import { DEFAULT_ACCOUNT } from "../../domain/accounts/account"
import type { CliArgs } from "../cli/lazy"
import type { demoOptions } from "./command"
import { Console, Effect, Layer, LogLevel, Logger, Option, Redacted } from "effect"
import { mkdirSync, readdirSync, existsSync } from "node:fs"
import { resolve } from "node:path"
import { performance } from "node:perf_hooks"
import { AppConfigFrom } from "../../adapters/config"
import { startFakeXServer, type FakeTweet } from "../../adapters/x-api/fake-server"
import { XApiClientLive } from "../../adapters/x-api/client"
import { DEMO_AUTHOR_ID, demoHistory, type DemoTweet } from "../../domain/demo/history"
import { ALL_TWEET_KINDS } from "../../domain/events/tweet"
import { parseBrackets } from "../../domain/forecast/brackets"
import { MODEL_KINDS } from "../../domain/models/model"
import { HOUR_MS, WEEK_MS, hourFloor, toIsoUtc } from "../../domain/time"
import { catchUpProjections } from "../catch-up"
import { issueForecast } from "../forecast/issue"
import { reproduceForecast } from "../forecast/reproduce"
import { runIngest } from "../ingest/run"
import { storeLayerWith } from "../layers"
import { regimesDetect } from "../regimes/program"
import { trainProgram } from "../train/program"
import { UsageError } from "../cli/usage-error"
import { renderTable } from "../cli/format"
import { demoBrackets, recentWeekTotals } from "../../domain/demo/brackets"

/**
 * The simulated accounts: the first is the default one (so every command's default finds its data);
 * `--accounts 2` or 3 adds quieter ones with their own histories, shown side by side.
 */
export const DEMO_ACCOUNTS: ReadonlyArray<{ readonly account: string; readonly userId: string; readonly level: number }> = [
  { account: DEFAULT_ACCOUNT, userId: DEMO_AUTHOR_ID, level: 1 },
  { account: "demo_second", userId: "1000000002", level: 0.5 },
  { account: "demo_third", userId: "1000000003", level: 0.25 }
]

const SLICE_WEEKS = 3
const DEMO_TOKEN = "demo-token"

const toFake = (authorId: string) => (t: DemoTweet): FakeTweet => ({
  id: t.id,
  created_at: new Date(t.createdAtMs).toISOString(),
  author_id: authorId,
  ...(t.referencedId !== undefined && {
    referenced_tweets: [{ type: t.kind === "reply" ? "replied_to" : t.kind === "quote" ? "quoted" : "retweeted", id: t.referencedId }]
  })
})

const freshDir = (requested: string | undefined): string => {
  if (requested !== undefined) {
    const dir = resolve(requested)
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`--data-dir ${dir} is not empty: the demo needs a fresh directory`)
    return dir
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)
  return resolve(`.musktracker-demo-${stamp}`)
}

/** What the demo suggests running next on the store it made. */
export const DEMO_NEXT_COMMANDS = ["status", "counts --daily", "backtest list", "forecast list", "report --out report.html"] as const

export const runDemo = (o: CliArgs<typeof demoOptions>) =>
  Effect.gen(function* () {
    if (o.weeks < 12 || o.weeks > 104) return yield* new UsageError({ message: `--weeks must be between 12 and 104, got ${o.weeks}` })
    if (!(o.accounts >= 1 && o.accounts <= DEMO_ACCOUNTS.length))
      return yield* new UsageError({ message: `--accounts must be between 1 and ${DEMO_ACCOUNTS.length}, got ${o.accounts}` })
    const accounts = DEMO_ACCOUNTS.slice(0, o.accounts)
    const t0 = performance.now()
    const timings: Array<[string, number]> = []
    const step = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>) =>
      Effect.gen(function* () {
        const s = performance.now()
        yield* Console.log(`\n== ${name}`)
        const a = yield* effect
        const secs = (performance.now() - s) / 1000
        timings.push([name, secs])
        yield* Console.log(`   (${secs.toFixed(1)} s)`)
        return a
      })

    const dataDir = yield* Effect.try({ try: () => freshDir(Option.getOrUndefined(o.dataDir)), catch: (e) => new UsageError({ message: (e as Error).message }) })
    mkdirSync(dataDir, { recursive: true })
    yield* Console.log(`MuskTracker demo: ${o.weeks} weeks of simulated posts of ${accounts.map((a) => `@${a.account}`).join(" and ")}, seed ${o.seed}`)
    yield* Console.log(`fresh embedded store: ${dataDir}`)

    const now = Date.now()
    const histories = yield* step(
      "simulate history (Hawkes process calibrated to the real account)",
      Effect.forEach(accounts, (a, i) =>
        Effect.sync(() => demoHistory(now, o.weeks, o.seed + i, { level: a.level, idSalt: i })).pipe(
          Effect.tap((h) => Console.log(`   @${a.account}: ${h.length} posts from ${toIsoUtc(h[0]!.createdAtMs)} to ${toIsoUtc(h[h.length - 1]!.createdAtMs)}`))
        )
      )
    )

    const server = yield* Effect.acquireRelease(
      Effect.promise(() => startFakeXServer({ token: DEMO_TOKEN, users: accounts.map((a) => ({ id: a.userId, username: a.account })) })),
      (s) => Effect.promise(() => s.close())
    )
    yield* Console.log(`local X API stand-in: ${server.url}`)

    const config = AppConfigFrom({
      dataDir,
      databaseUrl: Option.none(),
      eventstoreUrl: Option.none(),
      xBearerToken: Option.some(Redacted.make(DEMO_TOKEN)),
      xApiBaseUrl: server.url
    })
    const layer = Layer.merge(storeLayerWith(config), XApiClientLive.pipe(Layer.provide(config)))

    yield* Effect.gen(function* () {
      const start = Math.min(...histories.map((h) => h[0]!.createdAtMs))
      const sliceEnds: number[] = []
      for (let end = hourFloor(start) + SLICE_WEEKS * WEEK_MS; end < now; end += SLICE_WEEKS * WEEK_MS) sliceEnds.push(end)
      sliceEnds.push(now + HOUR_MS)

      yield* step(
        `ingest through the X API client (${sliceEnds.length} runs: a backfill, then incremental)`,
        Effect.gen(function* () {
          const served = accounts.map(() => 0)
          for (const [i, end] of sliceEnds.entries()) {
            for (const [k, a] of accounts.entries()) {
              const slice = histories[k]!.filter((t) => t.createdAtMs < end).slice(served[k])
              served[k]! += slice.length
              server.addTweets(slice.map(toFake(a.userId)))
            }
            // The accounts of a run are ingested together, taking turns on X's rate limits.
            const summaries = yield* Effect.forEach(
              accounts,
              (a) => runIngest(i === 0 ? { account: a.account, backfillDays: o.weeks * 7 + 1 } : { account: a.account }),
              { concurrency: "unbounded" }
            )
            yield* Console.log(
              `   run ${i + 1}: ` + summaries.map((s) => `${accounts.length > 1 ? `@${s.account} ` : ""}${s.pages} pages, ${s.tweetsSeen} posts seen, ${s.tweetsAppended} new`).join("; ")
            )
          }
          yield* Console.log(`   ${server.requests.length} requests to the stand-in`)
        })
      )
      yield* step("project read models", catchUpProjections.pipe(Effect.tap((r) => Console.log(`   ${r.events} events projected`))))
      const results: DemoAccountResult[] = []
      for (const [k, a] of accounts.entries()) {
        const who = accounts.length > 1 ? ` of @${a.account}` : ""
        const weekTotals = recentWeekTotals(histories[k]!.map((t) => t.createdAtMs), Date.now())
        results.push(yield* demoAccount(a.account, who, weekTotals, o.seed, step))
      }
      if (accounts.length > 1) {
        yield* Console.log(`\n== the accounts side by side`)
        yield* Console.log(renderSideBySide(results))
      }
      // Leave every read model at the end of the log for the user's next command.
      yield* catchUpProjections

      const total = (performance.now() - t0) / 1000
      yield* Console.log(`\n== summary (${total.toFixed(1)} s)`)
      for (const [name, secs] of timings) yield* Console.log(`   ${secs.toFixed(1).padStart(5)} s  ${name}`)
      // One command per line, so each can be pasted as it is (a "|" list would paste as a shell pipe).
      yield* Console.log(`\nExplore it:\n  export MUSKTRACKER_DATA_DIR=${dataDir}`)
      for (const command of accounts.length > 1 ? [...DEMO_NEXT_COMMANDS, ...accounts.slice(1).map((a) => `counts --daily --account ${a.account}`), "accounts list"] : DEMO_NEXT_COMMANDS)
        yield* Console.log(`  npx musktracker ${command}`)
    }).pipe(
      Effect.provide(layer),
      // The demo prints its own one-line-per-step account; per-page logs would drown it.
      Logger.withMinimumLogLevel(LogLevel.Warning)
    )
  }).pipe(Effect.scoped)

interface DemoAccountResult {
  readonly account: string
  readonly bestModel: string
  readonly bestCrps: number
  readonly forecast: { readonly model: string; readonly mean: number; readonly q10: number; readonly q90: number }
  readonly differences: number
}

const renderSideBySide = (results: ReadonlyArray<DemoAccountResult>): string =>
  renderTable(
    ["account", "best model (backtest)", "CRPS(week)", "forecast model", "next 7 days: mean", "80% interval", "reproduced"],
    results.map((r) => [
      `@${r.account}`,
      r.bestModel,
      r.bestCrps.toFixed(1),
      r.forecast.model,
      r.forecast.mean.toFixed(0),
      `${r.forecast.q10.toFixed(0)} .. ${r.forecast.q90.toFixed(0)}`,
      r.differences === 0 ? "exactly" : `${r.differences} differences`
    ])
  )

type Step = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/** Regimes, training, a bracketed forecast and its reproduction for one account. */
const demoAccount = (account: string, who: string, weekTotals: ReadonlyArray<number>, seed: number, step: Step) =>
  Effect.gen(function* () {
    yield* step(
      `detect regimes${who} (BOCPD, online)`,
      regimesDetect({ account, detector: "bocpd", format: "table" })
    )
    const trained = yield* step(
      `train${who}: backtest every model on the last 4 Mondays, then fit on the latest 8 weeks`,
      trainProgram({
        account,
        models: MODEL_KINDS,
        backtestWindows: 4,
        trainWindow: "8w",
        protocol: undefined,
        origins: undefined,
        paths: 2000,
        seed,
        workers: 2,
        kinds: ALL_TWEET_KINDS
      }).pipe(
        Effect.tap(({ outcome }) => {
          const width = Math.max(...outcome.summaries.map((s) => s.model.length))
          return Effect.forEach(outcome.summaries, (s) =>
            Console.log(`   ${s.model.padEnd(width)}  CRPS(week) ${s.crps_week.toFixed(1).padStart(6)}  MAE(week) ${s.mae_week.toFixed(1).padStart(6)}  cover80 ${s.cover80_week.toFixed(2)}`)
          )
        })
      )
    )
    const bracketText = demoBrackets(weekTotals)
    const brackets = parseBrackets(bracketText)
    if (typeof brackets === "string") return yield* Effect.fail(new Error(`internal: demo brackets ${bracketText}: ${brackets}`))
    const issued = yield* step(
      `forecast the next 7 days${who} (best model by backtest CRPS) with brackets ${bracketText}`,
      issueForecast({ account, model: "best", horizonHours: 168, brackets, countKinds: ALL_TWEET_KINDS, paths: 5000, seed, now: Date.now() }).pipe(
        Effect.tap(({ data }) =>
          Effect.gen(function* () {
            const total = data.result.total
            const q = (level: number) => total.quantiles.find((x) => x.level === level)?.value.toFixed(0) ?? "?"
            yield* Console.log(`   forecast ${data.forecastId}: model ${data.model}, window ${data.window.start} .. ${data.window.end}`)
            yield* Console.log(`   total: mean ${total.mean.toFixed(0)}, 80% interval ${q(0.1)} .. ${q(0.9)}`)
            for (const b of data.result.brackets ?? []) yield* Console.log(`   ${b.label.padEnd(10)} ${(b.probability * 100).toFixed(1).padStart(5)}%`)
          })
        )
      )
    )
    const rep = yield* step(
      `reproduce that forecast${who} from the log`,
      reproduceForecast(issued.data.forecastId).pipe(
        Effect.tap((r) => Console.log(`   ${r.compared} numbers compared, ${r.differences.length} differences`))
      )
    )
    if (rep.differences.length > 0) return yield* Effect.fail(new Error(`forecast ${issued.data.forecastId} did not reproduce (${rep.differences.length} differences)`))
    const best = [...trained.outcome.summaries].sort((x, y) => x.crps_week - y.crps_week)[0]!
    const total = issued.data.result.total
    const q = (level: number) => total.quantiles.find((x) => x.level === level)?.value ?? Number.NaN
    return {
      account,
      bestModel: best.model,
      bestCrps: best.crps_week,
      forecast: { model: issued.data.model, mean: total.mean, q10: q(0.1), q90: q(0.9) },
      differences: rep.differences.length
    } satisfies DemoAccountResult
  })
