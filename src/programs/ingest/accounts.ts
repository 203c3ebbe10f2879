/**
 * `ingest --account a,b,c`: several accounts in one run. Each is looked up on X first; an unknown or
 * unavailable account (suspended, protected) is reported and skipped, while a missing or rejected
 * token, which no account could pass, stops the whole command before the store is opened. The accounts
 * found are then ingested concurrently through one X client: requests to an endpoint go one at a time
 * through its rate limiter (src/adapters/x-api/rate-limit.ts), whose semaphore serves waiting fibers
 * first come, first served, so the accounts take turns page by page and share the app's limits fairly.
 * One account failing mid-run (its own stream conflicting, X refusing its timeline) does not interrupt
 * the others: what it appended is kept, and the run reports it.
 */
import { Effect } from "effect"
import type { XUser } from "../../adapters/x-api/schemas"
import { catchUpProjections } from "../catch-up"
import { StoreLayer } from "../layers"
import { ingestAccount, lookupAccount, type IngestOptions, type IngestSummary } from "./run"

/** Failures of one account that leave the others free to go on. */
const ACCOUNT_SCOPED = new Set(["XApiUserNotFound", "XApiUserUnavailable"])

export type AccountOutcome =
  | { readonly _tag: "Ingested"; readonly account: string; readonly summary: IngestSummary }
  | { readonly _tag: "Failed"; readonly account: string; readonly error: unknown }

export type LookedUp = { readonly account: string; readonly user: XUser } | { readonly account: string; readonly error: unknown }

/**
 * Each account's X user, in order; an account X does not have (or has suspended) is an error of that
 * account, while any other failure (no token, a rejected one) fails the whole lookup. Needs no store.
 */
export const lookupAccounts = (accounts: ReadonlyArray<string>) =>
  Effect.forEach(accounts, (account) =>
    lookupAccount(account).pipe(
      Effect.map((user): LookedUp => ({ account, user })),
      Effect.catchIf(
        (e) => ACCOUNT_SCOPED.has(e._tag),
        (error) => Effect.succeed<LookedUp>({ account, error })
      )
    )
  )

/** The outcome of an account the lookup did not find. */
const notFound = (l: Extract<LookedUp, { readonly error: unknown }>): AccountOutcome => ({ _tag: "Failed", account: l.account, error: l.error })

/** Ingests the accounts found, concurrently (one account's failure leaves the others going). */
export const ingestLookedUp = (looked: ReadonlyArray<LookedUp>, options: (account: string) => IngestOptions) =>
  Effect.forEach(
    looked,
    (l) =>
      "error" in l
        ? Effect.succeed(notFound(l))
        : Effect.match(ingestAccount(l.user, options(l.account)), {
            onSuccess: (summary): AccountOutcome => ({ _tag: "Ingested", account: l.account, summary }),
            onFailure: (error): AccountOutcome => ({ _tag: "Failed", account: l.account, error })
          }),
    { concurrency: "unbounded" }
  )

/** `ingest --account a,b,c`: look every account up, then (on the store, only if any was found) ingest and project. */
export const ingestAccounts = (accounts: ReadonlyArray<string>, options: (account: string) => IngestOptions) =>
  Effect.gen(function* () {
    const looked = yield* lookupAccounts(accounts)
    // None found: nothing to ingest, and the store is not even opened.
    if (!looked.some((l) => "user" in l)) return { results: looked.flatMap((l) => ("error" in l ? [notFound(l)] : [])) }
    const results = yield* Effect.tap(ingestLookedUp(looked, options), () => catchUpProjections).pipe(Effect.provide(StoreLayer))
    return { results }
  })
