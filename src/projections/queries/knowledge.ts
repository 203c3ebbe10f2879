/**
 * As-of knowledge for a forecast, read from the read models instead of replaying the whole log.
 *
 * Why: replaying ~70k events takes seconds (most of a forecast's time on the embedded store); the read
 * models answer the same question with a few indexed queries. Why it is the same knowledge: every
 * read-model row carries the global log position of its event, and the watermark W is the lowest
 * checkpoint of the projections read (tweets, exogenous, regimes), so filtering each table by
 * `position <= W` selects exactly the facts of the log up to W — what `loadKnowledge({ until: W })`
 * (src/programs/knowledge.ts) replays. `forecast reproduce` does that replay and compares fingerprints of
 * the model inputs, so any disagreement would show.
 *
 * Only tweets created at or after `from` are loaded (the earliest hour any model input or the observed
 * part of the window needs); `observedFrom` is raised to `from` so that a window reaching earlier fails
 * loudly instead of counting the unloaded hours as zeros.
 */
import { exogenousForAccount } from "../../domain/exogenous/scope"
import { Effect, Either, Schema } from "effect"
import { sql } from "kysely"
import { SqlDatabase } from "../../adapters/sql/database"
import { exogenousSchemas, type ExogenousDomainEvent } from "../../domain/events/exogenous"
import { makeKnowledge, type Knowledge } from "../../domain/features/asof"
import type { RegimeStart } from "../../domain/features/matrix"
import { hourFloor, toIsoUtc } from "../../domain/time"
import { readCheckpoints } from "../checkpoints"
import { EXOGENOUS_TABLES, exogenousProjection } from "../exogenous"
import { REGIMES_TABLE, regimesProjection } from "../regimes"
import { TWEETS_TABLE, tweetsProjection } from "../tweets"
import type { TweetKind as CountKind } from "../../domain/events/tweet"
import { runQuery, jsonValue } from "./run-query"



/** The log position up to which the tweets, exogenous and regimes read models all hold every fact. */
export const readModelWatermark = Effect.gen(function* () {
  const { db, describe } = yield* SqlDatabase
  const names = [tweetsProjection.name, exogenousProjection.name, regimesProjection.name]
  const cps = yield* runQuery(describe, () => readCheckpoints(db, names))
  return names.map((n) => cps.get(n) ?? 0n).reduce((a, b) => (b < a ? b : a))
})

/** First and last creation instants of the counted tweets with position <= until, or undefined. */
export const tweetSpan = (account: string, until: bigint, kinds: ReadonlyArray<CountKind>) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    // Two index-ordered probes ((account, created_at) index) rather than a min/max over the whole table.
    const edge = (dir: "asc" | "desc") =>
      runQuery(describe, () =>
        sql<{ ms: number | string }>`
          select (extract(epoch from created_at) * 1000)::float8 as ms from ${sql.table(TWEETS_TABLE)}
          where account = ${account} and kind in (${sql.join(kinds)}) and position <= ${until.toString()}::numeric
          order by created_at ${sql.raw(dir)} limit 1`.execute(db)
      )
    const first = yield* edge("asc")
    const last = yield* edge("desc")
    if (first.rows.length === 0 || last.rows.length === 0) return undefined
    return { first: Number(first.rows[0]!.ms), last: Number(last.rows[0]!.ms) }
  })

/** Tweets of `kinds` created in [from, to) with position <= until (epoch ms, ascending). */
export const tweetTimesBetween = (account: string, until: bigint, kinds: ReadonlyArray<CountKind>, from: number, to?: number) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      sql<{ ms: number | string }>`
        select (extract(epoch from created_at) * 1000)::float8 as ms from ${sql.table(TWEETS_TABLE)}
        where account = ${account} and created_at >= ${toIsoUtc(from)}::timestamptz ${to !== undefined ? sql`and created_at < ${toIsoUtc(to)}::timestamptz` : sql``}
          and kind in (${sql.join(kinds)}) and position <= ${until.toString()}::numeric
        order by created_at`.execute(db)
    )
    return Float64Array.from(r.rows, (row) => Number(row.ms))
  })

/** Curated exogenous events with position <= until, in log order. */
const exogenousUntil = (until: bigint) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      sql<{ position: string; type: string; data: unknown }>`
        select position::text as position, type, data from ${sql.table(EXOGENOUS_TABLES.log)}
        where position <= ${until.toString()}::numeric order by position`.execute(db)
    )
    const out: ExogenousDomainEvent[] = []
    for (const row of r.rows) {
      const schema = exogenousSchemas[row.type as keyof typeof exogenousSchemas] as Schema.Schema<any, any> | undefined
      if (!schema) return yield* Effect.fail(new Error(`exogenous_event_log position ${row.position}: unknown type ${row.type}`))
      const data = Schema.decodeUnknownEither(schema)(jsonValue(row.data))
      if (Either.isLeft(data)) return yield* Effect.fail(new Error(`exogenous_event_log position ${row.position}: ${data.left.message.split("\n")[0]}`))
      out.push({ type: row.type, data: data.right } as ExogenousDomainEvent)
    }
    return out
  })

/** BOCPD regime starts with position <= until, in log order (the detector models use, as loadKnowledge). */
const regimesUntil = (account: string, until: bigint) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      sql<{ at_ms: number | string; detected_ms: number | string }>`
        select (extract(epoch from at) * 1000)::float8 as at_ms, (extract(epoch from detected_at) * 1000)::float8 as detected_ms
        from ${sql.table(REGIMES_TABLE)} where account = ${account} and detector = 'bocpd' and position <= ${until.toString()}::numeric
        order by position`.execute(db)
    )
    return r.rows.map((row): RegimeStart => {
      const at = Number(row.at_ms)
      return { at, regimeId: `bocpd:${toIsoUtc(at)}`, knownAt: Number(row.detected_ms) }
    })
  })

export interface ReadModelKnowledge {
  readonly knowledge: Knowledge
  readonly watermark: bigint
  /** Hour from which tweets were loaded. */
  readonly from: number
}

/** Knowledge as of the log up to `until`, holding the tweets created from `from` on (see the module comment). */
export const knowledgeFromReadModels = (options: {
  /** The account whose tweets and regime shifts are read. */
  readonly account: string
  readonly until: bigint
  readonly kinds: ReadonlyArray<CountKind>
  readonly firstTweetAt: number
  readonly from: number
}) =>
  Effect.gen(function* () {
    const from = Math.max(hourFloor(options.from), hourFloor(options.firstTweetAt))
    const tweetTimes = yield* tweetTimesBetween(options.account, options.until, options.kinds, from)
    const exogenous = exogenousForAccount(yield* exogenousUntil(options.until), options.account)
    const regimes = yield* regimesUntil(options.account, options.until)
    const knowledge = makeKnowledge({ tweetTimes, exogenous, regimes, observedFrom: from })
    return { knowledge, watermark: options.until, from } satisfies ReadModelKnowledge
  })
