/**
 * `--account` for every command that reads or writes one account's data: optional on the command line,
 * then MUSKTRACKER_ACCOUNT, then elonmusk. The value is a handle (src/domain/accounts/account.ts); a bad
 * one is a usage error (one line, exit 2) naming where it came from.
 */
import { Options } from "@effect/cli"
import { Config, Effect, Option } from "effect"
import { DEFAULT_ACCOUNT, parseAccount, parseAccountList } from "../../domain/accounts/account"
import { UsageError } from "./usage-error"

const DEFAULT_NOTE = `default MUSKTRACKER_ACCOUNT, else ${DEFAULT_ACCOUNT}`

/** `--account NAME`: the account the command works on. */
export const accountOption = (what = "X account (handle, with or without @)") =>
  Options.text("account").pipe(Options.optional, Options.withDescription(`${what} (${DEFAULT_NOTE})`))

/**
 * `--account NAME` that narrows a listing, an audit or a rebuild: optional, and absent means every
 * account (no MUSKTRACKER_ACCOUNT default); the program validates it with `accountFilter`.
 */
export const accountFilterOption = (what: string, absent = "every account") =>
  Options.text("account").pipe(Options.optional, Options.withDescription(`${what} (default: ${absent})`))

/** MUSKTRACKER_ACCOUNT, or the default account. */
const configuredAccount = Config.string("MUSKTRACKER_ACCOUNT").pipe(Config.withDefault(DEFAULT_ACCOUNT))

/** The raw --account value, else MUSKTRACKER_ACCOUNT, else the default, with the name of its source. */
const rawAccount = (flag: Option.Option<string>) =>
  Option.isSome(flag)
    ? Effect.succeed({ raw: flag.value, source: "--account" })
    : Effect.map(Effect.orElseSucceed(configuredAccount, () => DEFAULT_ACCOUNT), (raw) => ({ raw, source: "MUSKTRACKER_ACCOUNT" }))

/** The normalised account a command works on, or a usage error naming the flag or the variable. */
export const resolveAccount = (flag: Option.Option<string>): Effect.Effect<string, UsageError> =>
  Effect.flatMap(rawAccount(flag), ({ raw, source }) => {
    const r = parseAccount(raw)
    return "account" in r ? Effect.succeed(r.account) : Effect.fail(new UsageError({ message: `${source} ${r.problem}` }))
  })

/** An --account that narrows a listing or an audit: absent means every account (no default), else validated. */
export const accountFilter = (flag: Option.Option<string>): Effect.Effect<string | undefined, UsageError> =>
  Option.isSome(flag) ? resolveAccount(flag) : Effect.succeed(undefined)

/** The accounts of a comma-separated --account (ingest: `a,b,c`), or a usage error. */
export const resolveAccounts = (flag: Option.Option<string>): Effect.Effect<ReadonlyArray<string>, UsageError> =>
  Effect.flatMap(rawAccount(flag), ({ raw, source }) => {
    const r = parseAccountList(raw)
    return "accounts" in r ? Effect.succeed(r.accounts) : Effect.fail(new UsageError({ message: `${source} ${r.problem}` }))
  })
