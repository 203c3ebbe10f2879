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
import { Effect, Either } from "effect"
import type { XUser } from "../../adapters/x-api/schemas"
import { catchUpProjections } from "../catch-up"
import { StoreLayer } from "../layers"
import { ingestAccount, lookupAccount, type IngestOptions, type IngestSummary } from "./run"

/** Failures of one account that leave the others free to go on. */
const ACCOUNT_SCOPED = new Set(["XApiUserNotFound", "XApiUserUnavailable"])

export type AccountOutcome =
  | { readonly _tag: "Ingested"; readonly account: string; readonly summary: IngestSummary }
  | { readonly _tag: "Failed"; readonly account: string; readonly error: unknown }

export const ingestAccounts = (accounts: ReadonlyArray<string>, options: (account: string) => IngestOptions) =>
  Effect.gen(function* () {
    const looked: Array<{ readonly account: string; readonly user: XUser } | { readonly account: string; readonly error: unknown }> = []
    for (const account of accounts) {
      const r = yield* Effect.either(lookupAccount(account))
      if (Either.isRight(r)) looked.push({ account, user: r.right })
      else if (ACCOUNT_SCOPED.has(r.left._tag)) looked.push({ account, error: r.left })
      else return yield* Effect.fail(r.left)
    }
    const found = looked.filter((l): l is { account: string; user: XUser } => "user" in l)
    const ingested = found.length === 0
      ? []
      : yield* Effect.gen(function* () {
          const results = yield* Effect.forEach(found, (f) => Effect.either(ingestAccount(f.user, options(f.account))), { concurrency: "unbounded" })
          yield* catchUpProjections
          return results
        }).pipe(Effect.provide(StoreLayer))
    const results = looked.map((l): AccountOutcome => {
      if ("error" in l) return { _tag: "Failed", account: l.account, error: l.error }
      const r = ingested[found.findIndex((f) => f.account === l.account)]!
      return Either.isRight(r) ? { _tag: "Ingested", account: l.account, summary: r.right } : { _tag: "Failed", account: l.account, error: r.left }
    })
    return { results }
  })
