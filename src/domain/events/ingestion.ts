/**
 * Ingestion events: what one `musktracker ingest` run asked X for, which pages it got, and where it
 * ended. Stream `ingestion-<account>` (normalised account: lower case, no @).
 *
 * - `IngestionRunStarted`: the run's request (mode, since_id or start_time) for the account's X user.
 * - `IngestionPageFetched`: one page was fetched AND its posts were appended (as `TweetObserved`, in
 *   the transaction before this event): the page event is written only after its posts are in the log.
 * - `IngestionRunCompleted`: every page was fetched; `cursor` is the largest post id seen, the
 *   `since_id` of the next incremental run. Only a completed run moves the cursor: a run killed
 *   mid-way appended its newest pages first, so its largest id says nothing about the older pages it
 *   never fetched.
 *
 * Ids are UUID v5 of (run id, what), so re-appending an event of a run after a transient failure is a
 * no-op. The run id itself is random (a new run is a new fact).
 */
import { Schema } from "effect"
import { defineEvent } from "./codec"
import { UtcInstant } from "./instant"
import { TweetId } from "./tweet"

export const INGESTION_CATEGORY = "ingestion"
export const ingestionStream = (account: string): string => `${INGESTION_CATEGORY}-${account}`

export const IngestionMode = Schema.Literal("incremental", "backfill")
export type IngestionMode = typeof IngestionMode.Type

const Count = Schema.Int.pipe(Schema.nonNegative())
const Account = Schema.NonEmptyTrimmedString

/** A half-open span of time [start, end). */
export const TimeSpan = Schema.Struct({ start: UtcInstant, end: UtcInstant })
export type TimeSpan = typeof TimeSpan.Type

/** A partial error X returned beside a page's data (problem JSON or the older code/message form). */
export const IngestionProblem = Schema.Struct({
  /** One line: title and detail (or code and message). */
  summary: Schema.String,
  type: Schema.optional(Schema.String),
  resourceType: Schema.optional(Schema.String),
  resourceId: Schema.optional(Schema.String),
  parameter: Schema.optional(Schema.String)
})
export type IngestionProblem = typeof IngestionProblem.Type

export const IngestionRunStartedData = Schema.Struct({
  runId: Schema.UUID,
  account: Account,
  /** X user id of the account. */
  userId: TweetId,
  mode: IngestionMode,
  /** Incremental runs: only posts newer than this id (the last completed run's cursor). */
  sinceId: Schema.optional(TweetId),
  /** Backfill runs (and incremental runs with no cursor yet): only posts created at or after this. */
  startTime: Schema.optional(UtcInstant),
  /** The N of `--backfill-days N` (or the default backfill of a first run). */
  backfillDays: Schema.optional(Schema.Int.pipe(Schema.positive())),
  startedAt: UtcInstant
})
export type IngestionRunStartedData = typeof IngestionRunStartedData.Type

export const IngestionPageFetchedData = Schema.Struct({
  runId: Schema.UUID,
  account: Account,
  /** 1-based, over the whole run (timeline pages first, then any recent-search pages). */
  page: Schema.Int.pipe(Schema.positive()),
  /** e.g. `GET /2/users/:id/tweets` or `GET /2/tweets/search/recent`. */
  endpoint: Schema.String,
  /** Posts on the page. */
  resultCount: Count,
  newestId: Schema.optional(TweetId),
  oldestId: Schema.optional(TweetId),
  /** Token of the next (older) page; absent on the last page. */
  nextToken: Schema.optional(Schema.String),
  /** Posts of this page that were new to the log (the others were already observed). */
  appended: Count,
  partialErrors: Schema.Array(IngestionProblem)
})
export type IngestionPageFetchedData = typeof IngestionPageFetchedData.Type

/** How far back the run reached (src/domain/ingestion/reach.ts), with the sentence shown to the user. */
export const IngestionReach = Schema.Struct({
  /** Complete: every post since `requestedStart` was served; Capped: the 3,200 cap stopped the timeline. */
  kind: Schema.Literal("Complete", "Capped"),
  /** The sentence(s) printed at the end of the run. */
  description: Schema.String,
  /** Start of the window the run asked for (now − N days, or the creation of the cursor post). */
  requestedStart: UtcInstant,
  /** Oldest instant from which on the run holds every post (timeline and, when capped, search). */
  reachedBackTo: UtcInstant,
  /** Posts the user timeline served. */
  timelinePosts: Count,
  /** Capped: the window the timeline did not serve. */
  gap: Schema.optional(TimeSpan),
  /** Capped: the part of the gap read with recent search (last 7 days), and the posts it served. */
  searched: Schema.optional(Schema.Struct({ start: UtcInstant, end: UtcInstant, posts: Count })),
  /** Capped: the part of the gap only an archive (`musktracker import FILE`) can fill. */
  needsImport: Schema.optional(TimeSpan)
})
export type IngestionReach = typeof IngestionReach.Type

export const IngestionRunCompletedData = Schema.Struct({
  runId: Schema.UUID,
  account: Account,
  pages: Count,
  /** Distinct posts served in the run. */
  tweetsSeen: Count,
  /** Posts new to the log. */
  tweetsAppended: Count,
  /**
   * Largest post id known after this run (never below the previous cursor): the next incremental
   * `since_id`. Absent only when no run has seen any post yet.
   */
  cursor: Schema.optional(TweetId),
  reach: IngestionReach,
  completedAt: UtcInstant
})
export type IngestionRunCompletedData = typeof IngestionRunCompletedData.Type

/**
 * A run that ended without completing: it failed (the reason is its error line, redacted) or, when a
 * later run found it still open (the process was killed), it was interrupted. The cursor does not move:
 * `lastCursor` is the cursor the run started from, for the record.
 */
export const IngestionRunFailedData = Schema.Struct({
  runId: Schema.UUID,
  account: Account,
  outcome: Schema.Literal("failed", "interrupted"),
  reason: Schema.String,
  /** The cursor in force when the run started (the next run starts from it again). */
  lastCursor: Schema.optional(TweetId),
  failedAt: UtcInstant,
  /** For an interrupted run: the run that found it open and closed it. */
  closedBy: Schema.optional(Schema.UUID)
})
export type IngestionRunFailedData = typeof IngestionRunFailedData.Type

export const IngestionRunStarted = defineEvent("IngestionRunStarted", 1, IngestionRunStartedData, {
  stream: (d) => ingestionStream(d.account),
  naturalKey: (d) => `ingestion-run-started:${d.runId}`
})

export const IngestionPageFetched = defineEvent("IngestionPageFetched", 1, IngestionPageFetchedData, {
  stream: (d) => ingestionStream(d.account),
  naturalKey: (d) => `ingestion-page:${d.runId}:${d.page}`
})

export const IngestionRunCompleted = defineEvent("IngestionRunCompleted", 1, IngestionRunCompletedData, {
  stream: (d) => ingestionStream(d.account),
  naturalKey: (d) => `ingestion-run-completed:${d.runId}`
})

export const IngestionRunFailed = defineEvent("IngestionRunFailed", 1, IngestionRunFailedData, {
  stream: (d) => ingestionStream(d.account),
  naturalKey: (d) => `ingestion-run-failed:${d.runId}`
})

export const ingestionDefinitions = [IngestionRunStarted, IngestionPageFetched, IngestionRunCompleted, IngestionRunFailed] as const
