/**
 * Response schemas of the X API v2 endpoints MuskTracker uses (see ../shared/x-api/openapi.json).
 * Unknown fields are tolerated (dropped on decode); a missing required field is a decode error whose
 * path names the field. X's OpenAPI spells some fields `post_*`/`referenced_posts` while live traffic
 * uses `tweet_*`/`referenced_tweets`: both decode to the `tweet` spelling here.
 */
import { Schema } from "effect"

/** An optional JSON field: absent or present, never `undefined` (keeps decode errors to the real issue). */
const opt = <S extends Schema.Schema.All>(s: S) => Schema.optionalWith(s, { exact: true })

const Id = Schema.String.pipe(Schema.pattern(/^[0-9]{1,19}$/, { message: () => "expected a numeric id of 1..19 digits" }))

/** One entry of an `errors` array: problem JSON (`title`, `detail`, `type`, …) or the older `{code, message}`. */
export const XProblem = Schema.Struct({
  title: opt(Schema.String),
  detail: opt(Schema.String),
  type: opt(Schema.String),
  status: opt(Schema.Number),
  value: opt(Schema.Unknown),
  parameter: opt(Schema.String),
  resource_type: opt(Schema.String),
  resource_id: opt(Schema.String),
  section: opt(Schema.String),
  code: opt(Schema.Number),
  message: opt(Schema.String)
})
export type XProblem = typeof XProblem.Type

/** One line per problem, for logs and error messages. */
export const describeProblem = (p: XProblem): string => {
  const head = p.title ?? (p.code !== undefined ? `code ${p.code}` : "error")
  const body = p.detail ?? p.message
  return body ? `${head}: ${body}` : head
}

export const ReferencedTweet = Schema.Struct({ type: Schema.String, id: Id })
export type ReferencedTweet = typeof ReferencedTweet.Type

/** Engagement counts; all optional because X renames them (`retweet_count` / `repost_count`). */
export const PublicMetrics = Schema.Struct({
  retweet_count: opt(Schema.Number),
  repost_count: opt(Schema.Number),
  reply_count: opt(Schema.Number),
  like_count: opt(Schema.Number),
  quote_count: opt(Schema.Number),
  bookmark_count: opt(Schema.Number),
  impression_count: opt(Schema.Number)
})

const TweetFields = {
  id: Id,
  /** Requested via tweet.fields; required because every count is bucketed by it. */
  created_at: Schema.String,
  /** Requested via tweet.fields; required so a search result can be attributed to an account. */
  author_id: Id,
  text: opt(Schema.String),
  conversation_id: opt(Schema.String),
  in_reply_to_user_id: opt(Schema.String),
  public_metrics: opt(PublicMetrics)
}

/** A post as decoded: `referenced_posts` (spec spelling) is folded into `referenced_tweets`. */
export const XTweet = Schema.transform(
  Schema.Struct({
    ...TweetFields,
    referenced_tweets: opt(Schema.Array(ReferencedTweet)),
    referenced_posts: opt(Schema.Array(ReferencedTweet))
  }),
  Schema.Struct({ ...TweetFields, referenced_tweets: opt(Schema.Array(ReferencedTweet)) }),
  {
    strict: true,
    decode: ({ referenced_posts, referenced_tweets, ...rest }) => {
      const refs = referenced_tweets ?? referenced_posts
      return refs === undefined ? rest : { ...rest, referenced_tweets: refs }
    },
    encode: (t) => t
  }
)
export type XTweet = typeof XTweet.Type

const Errors = opt(Schema.Array(XProblem))

export const XUser = Schema.Struct({ id: Id, username: Schema.String, name: opt(Schema.String) })
export type XUser = typeof XUser.Type

/** `GET /2/users/by/username/:username`: an unknown user is a 200 with `errors` and no `data`. */
export const UserLookupResponse = Schema.Struct({ data: opt(XUser), errors: Errors })

const PageMeta = Schema.Struct({
  result_count: opt(Schema.Number),
  newest_id: opt(Schema.String),
  oldest_id: opt(Schema.String),
  next_token: opt(Schema.String)
})

/** `GET /2/users/:id/tweets` and `GET /2/tweets/search/recent`: an empty page has no `data`. */
export const TweetPageResponse = Schema.Struct({
  data: opt(Schema.Array(XTweet)),
  errors: Errors,
  meta: opt(PageMeta)
})

const Bucket = { start: Schema.String, end: Schema.String }

/** One count bucket; `post_count` (spec) or `tweet_count` (live) becomes `count`. */
export const CountBucket = Schema.transform(
  Schema.Union(
    Schema.Struct({ ...Bucket, tweet_count: Schema.Number }),
    Schema.Struct({ ...Bucket, post_count: Schema.Number })
  ),
  Schema.Struct({ ...Bucket, count: Schema.Number }),
  {
    strict: true,
    decode: (b) => ({ start: b.start, end: b.end, count: "tweet_count" in b ? b.tweet_count : b.post_count }),
    encode: (b) => ({ start: b.start, end: b.end, tweet_count: b.count })
  }
)
export type CountBucket = typeof CountBucket.Type

/** `GET /2/tweets/counts/recent`. */
export const CountsResponse = Schema.Struct({
  data: opt(Schema.Array(CountBucket)),
  errors: Errors,
  meta: opt(
    Schema.Struct({
      total_tweet_count: opt(Schema.Number),
      total_post_count: opt(Schema.Number),
      next_token: opt(Schema.String)
    })
  )
})

/** Best-effort shape of an error response body (problem JSON, possibly with an `errors` array). */
export const ErrorBody = Schema.Struct({
  title: opt(Schema.String),
  detail: opt(Schema.String),
  type: opt(Schema.String),
  status: opt(Schema.Number),
  errors: Errors
})

/** A filtered-stream rule (`from:<username>` here), with the tag MuskTracker gives it. */
export const StreamRule = Schema.Struct({ id: Schema.String, value: Schema.String, tag: opt(Schema.String) })
export type StreamRule = typeof StreamRule.Type
export const StreamRulesResponse = Schema.Struct({ data: opt(Schema.Array(StreamRule)), errors: Errors })
export const StreamRulesChangeResponse = Schema.Struct({
  data: opt(Schema.Array(StreamRule)),
  errors: Errors,
  meta: opt(Schema.Struct({ summary: opt(Schema.Record({ key: Schema.String, value: Schema.Number })) }))
})
/** One line of the filtered stream: a matching post with the rules it matched, or an operational error. */
export const StreamLine = Schema.Struct({
  data: opt(XTweet),
  matching_rules: opt(Schema.Array(Schema.Struct({ id: Schema.String, tag: opt(Schema.String) }))),
  errors: Errors
})
