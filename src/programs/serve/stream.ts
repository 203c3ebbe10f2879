/**
 * `serve --stream`: X's filtered stream as a second, near-real-time path into the log, beside polling.
 *
 * The app's rules are made to say exactly `from:<handle>` for each tracked account, tagged
 * `musktracker:<account>` (other tags are left alone: they may be another tool's). Each post the stream
 * delivers becomes the same idempotent `TweetObserved` an ingest run appends (source `api`), for the
 * account its rule's tag names, so stream and polling never double count. A connection that ends or
 * fails is reconnected with X's documented back-off (src/domain/ingestion/reconnect.ts): linear for
 * network errors and stalls, exponential for HTTP errors, exponential from a minute for 429; silence
 * longer than the keep-alive timeout (X sends a newline every 20 s) counts as a network error. Every
 * connection runs a polling catch-up once it is up, so a post made while disconnected is still fetched.
 */
import { Clock, Data, Duration, Effect, Either, Ref, Stream } from "effect"
import { codeVersion } from "../../adapters/code-version"
import { XApiClient } from "../../adapters/x-api/client"
import type { XApiError } from "../../adapters/x-api/errors"
import { ExpectedRevision } from "../../domain/events/envelope"
import { TweetObserved } from "../../domain/events/tweet"
import { observedFromApi } from "../../domain/ingestion/observe"
import { reconnectDelayMs, type DisconnectKind } from "../../domain/ingestion/reconnect"
import { EventStore } from "../../domain/ports/event-store"
import { errorLine } from "../cli/cli-errors"

export const RULE_TAG_PREFIX = "musktracker:"

export class StreamStalled extends Data.TaggedError("StreamStalled")<{ readonly afterMs: number }> {
  override get message(): string {
    return `the filtered stream sent nothing (not even a keep-alive) for ${this.afterMs} ms`
  }
}

export interface StreamOptions {
  /** Silence after which the connection counts as dropped (X: keep-alives every 20 s). */
  readonly keepAliveTimeoutMs: number
  /** Multiplies every back-off delay (1 in production; tests shrink it). */
  readonly backoffScale: number
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = { keepAliveTimeoutMs: 20_000, backoffScale: 1 }

export interface StreamCounters {
  readonly connects: Ref.Ref<number>
  readonly reconnects: Ref.Ref<number>
  readonly posts: Ref.Ref<number>
}

/** Which back-off a failure calls for. */
export const disconnectKind = (e: XApiError | StreamStalled): DisconnectKind =>
  e._tag === "XApiRateLimited" ? "rate-limited" : e._tag === "XApiTransportError" || e._tag === "XApiTimeout" || e._tag === "StreamStalled" ? "network" : "http"

/**
 * Makes the app's rules cover `from:<account>` for each account: MuskTracker's own rules (tagged
 * `musktracker:`) for accounts no longer tracked are deleted, missing ones added; a rule another tool
 * made with the same value is used as it is (X refuses duplicate values). Returns rule id -> account.
 */
export const syncRules = (accounts: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const client = yield* XApiClient
    const rules = yield* client.streamRules
    const valueOf = (a: string) => `from:${a}`
    const add = accounts.filter((a) => !rules.some((r) => r.value.toLowerCase() === valueOf(a))).map((a) => ({ value: valueOf(a), tag: `${RULE_TAG_PREFIX}${a}` }))
    const remove = rules.filter((r) => r.tag?.startsWith(RULE_TAG_PREFIX) && !accounts.some((a) => r.value.toLowerCase() === valueOf(a))).map((r) => r.id)
    if (add.length > 0 || remove.length > 0) yield* client.changeStreamRules({ add, delete: remove })
    const now = yield* client.streamRules
    const accountOfRule = new Map<string, string>()
    for (const r of now) {
      const a = accounts.find((x) => r.value.toLowerCase() === valueOf(x))
      if (a !== undefined) accountOfRule.set(r.id, a)
    }
    return { added: add.length, removed: remove.length, accountOfRule }
  })

/** Appends one streamed post for each account its matching rules name (idempotent); malformed posts are logged. */
const appendPost = (tweet: Parameters<typeof observedFromApi>[0], ruleIds: ReadonlyArray<string>, accountOfRule: ReadonlyMap<string, string>) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const observedAtMs = yield* Clock.currentTimeMillis
    const targets = [...new Set(ruleIds.flatMap((id) => (accountOfRule.has(id) ? [accountOfRule.get(id)!] : [])))]
    let written = 0
    for (const account of targets) {
      const observed = observedFromApi(tweet, { account, observedAtMs })
      if (Either.isLeft(observed)) {
        yield* Effect.logWarning(`serve: streamed post skipped: ${observed.left.message}`)
        continue
      }
      const { stream, event } = TweetObserved.toAppend(observed.right, { codeVersion: codeVersion() })
      const { results } = yield* store.appendMany([{ stream, events: [event], expected: ExpectedRevision.noStream }], { skipConflicts: true })
      written += results.filter((r) => "written" in r && r.written).length
    }
    return written
  })

/**
 * Follows the filtered stream for `accounts` until interrupted: one connection after another, each
 * started by `catchUp` (the polling run) once it is up.
 */
export const followStream = <E, R>(accounts: ReadonlyArray<string>, catchUp: Effect.Effect<void, E, R>, counters: StreamCounters, options: StreamOptions = DEFAULT_STREAM_OPTIONS) =>
  Effect.gen(function* () {
    const client = yield* XApiClient
    const synced = yield* syncRules(accounts)
    yield* Effect.logInfo(`serve: stream rules for ${accounts.map((a) => `@${a}`).join(", ")} (${synced.added} added, ${synced.removed} removed)`)
    const attempts = new Map<DisconnectKind, number>()
    for (;;) {
      let delivered = false
      const outcome = yield* Effect.scoped(
        Effect.gen(function* () {
          yield* client.filteredStream.pipe(
            Stream.timeoutFail(() => new StreamStalled({ afterMs: options.keepAliveTimeoutMs }), Duration.millis(options.keepAliveTimeoutMs)),
            Stream.runForEach((message) =>
              Effect.gen(function* () {
                if (!delivered) {
                  // The connection is up: reset the back-off and fetch what arrived while it was down.
                  delivered = true
                  attempts.clear()
                  yield* Ref.update(counters.connects, (n) => n + 1)
                  yield* Effect.forkScoped(catchUp.pipe(Effect.catchAllCause((c) => Effect.logWarning(`serve: catch-up after connect failed: ${String(c).split("\n")[0]}`))))
                }
                if (message._tag === "Post") {
                  const written = yield* appendPost(message.tweet, message.rules.map((r) => r.id), synced.accountOfRule)
                  if (written > 0) yield* Ref.update(counters.posts, (n) => n + written)
                } else if (message._tag === "Malformed") yield* Effect.logWarning(`serve: a stream line was skipped: ${message.reason}`)
                else if (message._tag === "Notice") yield* Effect.logWarning(`serve: the stream says: ${message.errors.map((e) => e.detail ?? e.title ?? "").join("; ")}`)
              })
            )
          )
        })
      ).pipe(Effect.either)
      const kind: DisconnectKind = Either.isLeft(outcome) ? disconnectKind(outcome.left as XApiError | StreamStalled) : "network"
      const attempt = (attempts.get(kind) ?? 0) + 1
      attempts.set(kind, attempt)
      const delay = reconnectDelayMs(kind, attempt, options.backoffScale)
      yield* Ref.update(counters.reconnects, (n) => n + 1)
      yield* Effect.logWarning(
        `serve: stream ${Either.isLeft(outcome) ? `failed: ${errorLine(outcome.left)}` : "ended"}; reconnecting in ${Math.round(delay)} ms (${kind} back-off, attempt ${attempt})`
      )
      yield* Effect.sleep(Duration.millis(delay))
    }
  })
