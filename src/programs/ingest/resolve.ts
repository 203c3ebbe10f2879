/**
 * Records which X user an account's handle names (AccountResolved, once per user) from the lookup every
 * ingest run makes first, and refuses a handle that now names another user (AccountUserChanged).
 */
import { Effect } from "effect"
import { codeVersion } from "../../adapters/code-version"
import { decideResolution, type LookedUpUser } from "../../domain/accounts/resolution"
import { AccountResolved, accountStream, type AccountResolvedData } from "../../domain/events/account"
import { decodeCatalogEvent } from "../../domain/events/catalog"
import type { RecordedEvent } from "../../domain/events/envelope"
import { toIsoUtc } from "../../domain/time"
import { handleCommand } from "../command-handler"
import { AccountUserChanged } from "./errors"

/** The user id recorded for the account, if any (the first resolution stands). */
const recordedUser = (recorded: RecordedEvent) =>
  Effect.map(decodeCatalogEvent(recorded), (e) => (AccountResolved.is(e) ? e.data : undefined))

export const recordResolution = (account: string, user: LookedUpUser, nowMs: number) =>
  handleCommand({
    stream: accountStream(account),
    decode: recordedUser,
    initial: undefined as AccountResolvedData | undefined,
    evolve: (state: AccountResolvedData | undefined, e: AccountResolvedData) => state ?? e,
    decide: (state) => {
      const d = decideResolution(account, state?.userId, user, toIsoUtc(nowMs))
      if (d._tag === "Changed") return Effect.fail(new AccountUserChanged({ account, recordedUserId: d.recordedUserId, userId: d.userId }))
      return Effect.succeed(d._tag === "Record" ? [d.data] : [])
    },
    encode: (events) => events.map((data) => AccountResolved.encode(data, { codeVersion: codeVersion() }))
  })
