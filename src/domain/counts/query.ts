/**
 * What a count query asks for (pure; the `counts` command and the service's `GET /counts` both parse
 * with these): the kinds counted, and the default range when `from`/`to` are not given.
 */
import { ALL_TWEET_KINDS, type TweetKind } from "../events/tweet"
import { DAY_MS, dayFloor, HOUR_MS, hourFloor } from "../time"

/** `all`, `no-replies`, or a comma-separated list of kinds; or why the text is none of them. */
export const parseCountKinds = (text: string): ReadonlyArray<TweetKind> | string => {
  if (text === "all") return ALL_TWEET_KINDS
  if (text === "no-replies") return ALL_TWEET_KINDS.filter((k) => k !== "reply")
  const kinds = text.split(",").map((s) => s.trim())
  const bad = kinds.find((k) => !(ALL_TWEET_KINDS as ReadonlyArray<string>).includes(k))
  return bad === undefined ? (kinds as TweetKind[]) : `"${text}": "${bad}" is not all, no-replies, or a list of post, reply, quote, retweet`
}

export type Granularity = "hour" | "day"

/**
 * [from, to) of a count query: `to` defaults to the end of the bucket holding the newest tweet (or of
 * the current bucket when there is none), `from` to 7 days (hourly) or 90 days (daily) before `to`.
 */
export const countRange = (
  granularity: Granularity,
  given: { readonly from?: number | undefined; readonly to?: number | undefined },
  lastTweetAt: number | undefined,
  now: number
): { readonly from: number; readonly to: number } => {
  const width = granularity === "day" ? DAY_MS : HOUR_MS
  const floor = granularity === "day" ? dayFloor : hourFloor
  const to = given.to ?? floor(lastTweetAt ?? now) + width
  return { from: given.from ?? to - (granularity === "day" ? 90 * DAY_MS : 7 * DAY_MS), to }
}
