/**
 * Which curated events bear on an account (pure): the global ones (no account) and the account's own,
 * with their revisions and retractions, in log order. Models of one account never see another
 * account's events.
 */
import type { ExogenousDomainEvent } from "../events/exogenous"

export const exogenousForAccount = (events: ReadonlyArray<ExogenousDomainEvent>, account: string): ReadonlyArray<ExogenousDomainEvent> => {
  const others = new Set<string>()
  const out: ExogenousDomainEvent[] = []
  for (const e of events) {
    if (e.type === "ExogenousEventCurated" && e.data.account !== undefined && e.data.account !== account) {
      others.add(e.data.eventId)
      continue
    }
    if (others.has(e.data.eventId)) continue
    out.push(e)
  }
  return out
}
