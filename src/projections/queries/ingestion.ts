/**
 * Reading the `ingestion_runs` read model (src/projections/ingestion-runs.ts). Instants are epoch ms.
 * These read what the projection holds: catch up first (`catchUpProjections`) to include the latest
 * runs. The ingest program itself takes its cursor from the event stream, not from here.
 */
import { Effect } from "effect"
import { sql } from "kysely"
import { SqlDatabase, SqlError } from "../../adapters/sql/database"
import { oneLine } from "../../adapters/sql/errors"
import { INGESTION_RUNS_TABLE } from "../ingestion-runs"

export interface IngestionRunRow {
  readonly runId: string
  readonly account: string
  readonly userId: string | null
  readonly mode: "incremental" | "backfill" | null
  readonly sinceId: string | null
  readonly startTime: number | null
  readonly backfillDays: number | null
  readonly startedAt: number | null
  /** `started`: running, or stopped without a record (the next run closes it as `interrupted`). */
  readonly status: "started" | "completed" | "failed" | "interrupted"
  /** Why a failed or interrupted run ended. */
  readonly failureReason: string | null
  readonly pages: number
  /** Posts on the run's pages (a post served twice counts twice). */
  readonly postsServed: number
  readonly tweetsAppended: number
  readonly partialErrors: number
  /** Distinct posts seen (completed runs). */
  readonly tweetsSeen: number | null
  readonly cursor: string | null
  readonly reachKind: "Complete" | "Capped" | null
  readonly reach: string | null
  readonly reachedBackTo: number | null
  readonly needsImport: { readonly from: number; readonly to: number } | null
  readonly completedAt: number | null
  /** Global position of the run's latest event. */
  readonly position: bigint
}

const ms = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** Runs, most recent first (by start), optionally of one account, at most `limit` (default 20). */
export const ingestionRuns = (q: { readonly account?: string; readonly limit?: number } = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const r = yield* Effect.tryPromise({
      try: () =>
        sql<Record<string, unknown>>`
          select run_id::text as run_id, account, user_id, mode, since_id,
                 (extract(epoch from start_time) * 1000)::float8 as start_ms, backfill_days,
                 (extract(epoch from started_at) * 1000)::float8 as started_ms, status, pages, posts_served,
                 tweets_appended, partial_errors, tweets_seen, cursor, reach_kind, reach,
                 (extract(epoch from reached_back_to) * 1000)::float8 as reached_ms,
                 (extract(epoch from needs_import_from) * 1000)::float8 as import_from_ms,
                 (extract(epoch from needs_import_to) * 1000)::float8 as import_to_ms,
                 (extract(epoch from completed_at) * 1000)::float8 as completed_ms, failure_reason, position::text as position
          from ${sql.table(INGESTION_RUNS_TABLE)}
          where true ${q.account !== undefined ? sql`and account = ${q.account}` : sql``}
          order by started_at desc nulls last, position desc
          limit ${q.limit ?? 20}`.execute(db),
      catch: (cause) => new SqlError({ target: describe, reason: oneLine(cause), cause })
    })
    return r.rows.map(
      (row): IngestionRunRow => ({
        runId: String(row.run_id),
        account: String(row.account),
        userId: row.user_id === null ? null : String(row.user_id),
        mode: row.mode as IngestionRunRow["mode"],
        sinceId: row.since_id === null ? null : String(row.since_id),
        startTime: ms(row.start_ms),
        backfillDays: row.backfill_days === null ? null : Number(row.backfill_days),
        startedAt: ms(row.started_ms),
        status: row.status as IngestionRunRow["status"],
        failureReason: row.failure_reason === null || row.failure_reason === undefined ? null : String(row.failure_reason),
        pages: Number(row.pages),
        postsServed: Number(row.posts_served),
        tweetsAppended: Number(row.tweets_appended),
        partialErrors: Number(row.partial_errors),
        tweetsSeen: row.tweets_seen === null ? null : Number(row.tweets_seen),
        cursor: row.cursor === null ? null : String(row.cursor),
        reachKind: row.reach_kind as IngestionRunRow["reachKind"],
        reach: row.reach === null ? null : String(row.reach),
        reachedBackTo: ms(row.reached_ms),
        needsImport:
          row.import_from_ms === null || row.import_to_ms === null ? null : { from: Number(row.import_from_ms), to: Number(row.import_to_ms) },
        completedAt: ms(row.completed_ms),
        position: BigInt(String(row.position))
      })
    ) as ReadonlyArray<IngestionRunRow>
  })
