/** Shared fixtures for the X API client tests: synthetic tweets, the client wired to a fake server, log capture. */
import { NodeHttpClient } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import { AppConfig } from "../../../src/adapters/config"
import { layerXApiClient, XApiClient } from "../../../src/adapters/x-api/client"
import type { FakeTweet, FakeXServer } from "../../../src/adapters/x-api/fake-server"
import type { XApiClientOptions } from "../../../src/adapters/x-api/options"
import { snowflakeIdAt } from "../../../src/domain/ingestion/tweet-id"

export const ELON_ID = "44196397"

/** `n` tweets by @elonmusk: the newest at `newestMs`, then one every `gapMs` further back; kinds cycle post, reply, quote, retweet. */
export const makeTweets = (n: number, newestMs: number, gapMs: number, authorId = ELON_ID): FakeTweet[] =>
  Array.from({ length: n }, (_, i) => {
    const ms = newestMs - i * gapMs
    const kind = i % 4
    return {
      id: snowflakeIdAt(ms, i % 4096),
      created_at: new Date(ms).toISOString(),
      author_id: authorId,
      referenced_tweets:
        kind === 1 ? [{ type: "replied_to", id: "1000" }] : kind === 2 ? [{ type: "quoted", id: "1001" }] : kind === 3 ? [{ type: "retweeted", id: "1002" }] : undefined
    }
  })

/** Short waits everywhere, no jitter, so the tests are quick and deterministic. */
export const FAST: XApiClientOptions = {
  requestTimeout: 2_000,
  retry: { maxRetries: 4, baseDelay: 20, maxDelay: 200, jitter: false },
  rateLimit: { resetMargin: 50, maxWait: 10_000 }
}

export const configLayer = (baseUrl: string, token: string | undefined) =>
  Layer.succeed(AppConfig, {
    xBearerToken: token === undefined ? Option.none() : Option.some(Redacted.make(token)),
    xApiBaseUrl: baseUrl,
    databaseUrl: Option.none(),
    eventstoreUrl: Option.none(),
    dataDir: "./.musktracker-test-unused",
    logLevel: LogLevel.Info
  })

/** The client for `server`; `token` undefined means X_BEARER_TOKEN is not set. */
export const clientLayer = (server: FakeXServer, options: XApiClientOptions, token: string | undefined) =>
  layerXApiClient(options).pipe(Layer.provide(NodeHttpClient.layer), Layer.provide(configLayer(server.url, token)))

export interface CapturedLog {
  readonly level: string
  readonly message: string
}

/** A logger that records every line (at every level) instead of printing it. */
export const captureLogs = () => {
  const lines: CapturedLog[] = []
  const logger = Logger.make(({ logLevel, message }) => {
    lines.push({ level: logLevel.label, message: Array.isArray(message) ? message.map(String).join(" ") : String(message) })
  })
  const layer = Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LogLevel.All))
  return { lines, layer }
}

export interface RunOptions {
  readonly options?: XApiClientOptions
  /** Bearer token the client sends; `undefined` (given explicitly) means none is configured. */
  readonly token?: string | undefined
  readonly logs?: ReturnType<typeof captureLogs>
}

const exitOf = <A, E>(server: FakeXServer, effect: Effect.Effect<A, E, XApiClient>, opts: RunOptions) => {
  const token = "token" in opts ? opts.token : server.token
  const layer = clientLayer(server, opts.options ?? FAST, token)
  const withLogs = opts.logs ? effect.pipe(Effect.provide(opts.logs.layer)) : effect
  return Effect.runPromiseExit(withLogs.pipe(Effect.provide(layer)))
}

/**
 * Run `effect` with a client for `server` and return its value. A failure is rethrown as a plain Error
 * with the pretty cause (vitest chokes on formatting Effect's FiberFailure).
 */
export const runWith = async <A, E>(server: FakeXServer, effect: Effect.Effect<A, E, XApiClient>, opts: RunOptions = {}): Promise<A> => {
  const exit = await exitOf(server, effect, opts)
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`expected success, got: ${Cause.pretty(exit.cause)}`)
}

/** Run `effect` and return the error it fails with; success or a defect is a plain Error. */
export const failureOf = async <A, E>(server: FakeXServer, effect: Effect.Effect<A, E, XApiClient>, opts: RunOptions = {}): Promise<E> => {
  const exit = await exitOf(server, effect, opts)
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got a success: ${JSON.stringify(exit.value).slice(0, 300)}`)
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "Some") return failure.value
  throw new Error(`expected a failure, got: ${Cause.pretty(exit.cause)}`)
}
