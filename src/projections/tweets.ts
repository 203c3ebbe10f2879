/**
 * `tweets`: one row per observed tweet (id, author, account, created_at, kind, source, and the log
 * position of the observation).
 *
 * A tweet counts once: only the first event of its `tweet-<id>` stream (revision 0) makes a row. The
 * store already refuses a second TweetObserved for the same tweet (deterministic event id, first append
 * expects no stream), so this is belt and braces — and it keeps the handler a pure function of the
 * event, which the `verify` audit relies on. The count projections use the same rule.
 */
import { TweetObserved } from "../domain/events/tweet"
import type { CatalogEvent } from "../domain/events/catalog"
import type { Projection } from "./projection"
import { noWrites, Write } from "./write"

export const TWEETS_TABLE = "tweets"

/** The TweetObserved that counts for its tweet (revision 0 of its stream), or undefined. */
export const firstObservation = (event: CatalogEvent) => (TweetObserved.is(event) && event.revision === 0 ? event : undefined)

export const tweetsProjection: Projection = {
  name: "tweets",
  tables: [TWEETS_TABLE],
  eventTypes: [TweetObserved.type],
  handle: (event, position) => {
    const e = firstObservation(event)
    if (!e) return noWrites
    const d = e.data
    return [
      Write.upsert(TWEETS_TABLE, {
        id: d.tweetId,
        author_id: d.authorId === "" ? null : d.authorId,
        account: d.account,
        created_at: d.createdAt,
        kind: d.kind,
        source: d.source,
        position: position.toString()
      })
    ]
  }
}
