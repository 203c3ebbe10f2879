/**
 * Deciding what a user lookup adds to an account's stream (pure): the first resolution is recorded;
 * the same user again is nothing new; another user under a handle already resolved is a conflict the
 * operator must settle, since counts keyed by the handle would otherwise mix two people's posts.
 */
import type { AccountResolvedData } from "../events/account"

export interface LookedUpUser {
  readonly id: string
  readonly username: string
  readonly name?: string | undefined
}

export type ResolutionDecision =
  | { readonly _tag: "Record"; readonly data: AccountResolvedData }
  | { readonly _tag: "Known" }
  | { readonly _tag: "Changed"; readonly recordedUserId: string; readonly userId: string }

export const decideResolution = (
  account: string,
  recordedUserId: string | undefined,
  user: LookedUpUser,
  resolvedAt: string
): ResolutionDecision => {
  if (recordedUserId === user.id) return { _tag: "Known" }
  if (recordedUserId !== undefined) return { _tag: "Changed", recordedUserId, userId: user.id }
  return {
    _tag: "Record",
    data: { account, userId: user.id, username: user.username, ...(user.name !== undefined && { name: user.name }), resolvedAt }
  }
}
