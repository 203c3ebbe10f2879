/** The stand-in's tweets: per author, newest (largest id) first, each id once. */
import { parseInstant } from "../../../domain/time"
import type { FakeTweet } from "./types"

export interface StoredTweet extends FakeTweet {
  readonly big: bigint
  readonly ms: number
}

export const ID = /^[0-9]{1,19}$/

export interface TweetStore {
  /** Adds tweets (duplicates by id are ignored). */
  readonly addTweets: (tweets: ReadonlyArray<FakeTweet>) => void
  /** An author's tweets, newest first. */
  readonly ofAuthor: (authorId: string) => StoredTweet[]
}

export const makeTweetStore = (initial: ReadonlyArray<FakeTweet> = []): TweetStore => {
  // Every author's tweets, newest (largest id) first.
  const byAuthor = new Map<string, StoredTweet[]>()
  const seen = new Set<string>()
  const addTweets = (tweets: ReadonlyArray<FakeTweet>) => {
    const touched = new Set<string>()
    for (const t of tweets) {
      if (!ID.test(t.id)) throw new Error(`fake X server: tweet id "${t.id}" is not numeric`)
      if (seen.has(t.id)) continue
      const ms = parseInstant(t.created_at)
      if (ms === undefined) throw new Error(`fake X server: tweet ${t.id} has an invalid created_at "${t.created_at}"`)
      seen.add(t.id)
      const list = byAuthor.get(t.author_id) ?? []
      list.push({ ...t, big: BigInt(t.id), ms })
      byAuthor.set(t.author_id, list)
      touched.add(t.author_id)
    }
    for (const a of touched) byAuthor.get(a)!.sort((x, y) => (x.big > y.big ? -1 : x.big < y.big ? 1 : 0))
  }
  addTweets(initial)
  return { addTweets, ofAuthor: (authorId) => byAuthor.get(authorId) ?? [] }
}
