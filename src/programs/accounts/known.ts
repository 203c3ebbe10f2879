/**
 * Commands that read one account's counts refuse an account the store has never seen: a mistyped
 * handle would otherwise read as an account that posted nothing.
 */
import { Data, Effect } from "effect"
import { accountKnown, listAccounts } from "../../projections/queries/accounts"

/** At most this many known accounts are named in the message. */
const NAMED = 10

/** No tweet, ingest run or scoped curated event of this account in the read models (exit 1; the API answers 404). */
export class UnknownAccount extends Data.TaggedError("UnknownAccount")<{ readonly account: string; readonly known: ReadonlyArray<string> }> {
  override get message(): string {
    if (this.known.length === 0)
      return `the store holds no tweets yet, of @${this.account} or any account: run \`musktracker import FILE\` or \`musktracker ingest\` first`
    const named = this.known.slice(0, NAMED).map((a) => `@${a}`).join(", ")
    const more = this.known.length > NAMED ? ` and ${this.known.length - NAMED} more (musktracker accounts list)` : ""
    return `the store knows no account @${this.account} (no tweet, ingest run or curated event of it); accounts in the store: ${named}${more}`
  }
}

/** Succeeds when the read models know `account`, else fails with UnknownAccount naming the known ones. */
export const requireKnownAccount = (account: string) =>
  Effect.flatMap(accountKnown(account), (known) =>
    // The names come from `accounts list`'s own query, so the message lists exactly what that command shows.
    known ? Effect.void : Effect.flatMap(listAccounts, (rows) => Effect.fail(new UnknownAccount({ account, known: rows.map((r) => r.account) })))
  )
