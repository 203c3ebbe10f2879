/**
 * Account events. `AccountResolved`: X's user lookup (`GET /2/users/by/username/{username}`) said
 * which user the handle names. Stream `account-<account>`. The id is UUID v5 of (account, user id), so
 * every later run that resolves the same user appends nothing: the id is resolved through X and
 * recorded once, never hard-coded. A handle that later names another user (renamed, re-registered) is
 * a new fact, refused by ingest until the operator decides (docs/ingestion.md).
 */
import { Schema } from "effect"
import { defineEvent } from "./codec"
import { UtcInstant } from "./instant"
import { TweetId } from "./tweet"

export const ACCOUNT_CATEGORY = "account"
export const accountStream = (account: string): string => `${ACCOUNT_CATEGORY}-${account}`

export const AccountResolvedData = Schema.Struct({
  /** Normalised handle (lower case, no @): the key of every read model. */
  account: Schema.NonEmptyTrimmedString,
  /** X user id the handle named. */
  userId: TweetId,
  /** The handle as X spells it, and the display name, at resolution. */
  username: Schema.String,
  name: Schema.optional(Schema.String),
  resolvedAt: UtcInstant
})
export type AccountResolvedData = typeof AccountResolvedData.Type

export const AccountResolved = defineEvent("AccountResolved", 1, AccountResolvedData, {
  stream: (d) => accountStream(d.account),
  naturalKey: (d) => `account-resolved:${d.account}:${d.userId}`
})

export const accountDefinitions = [AccountResolved] as const
