/**
 * What an ingest run asks X for (pure).
 *
 * - `--backfill-days N`: every post of the last N days (user timeline with `start_time`).
 * - Otherwise incremental, from the last COMPLETED run: `since_id` = its cursor. Not the largest id
 *   observed: a run stopped mid-way has appended its newest pages (X serves newest first) but not the
 *   older ones, so starting after its largest id would skip those older pages for good.
 * - A completed run that saw no post at all has no cursor: the next run asks again from where that
 *   run started (`start_time`), which it knows to be complete.
 * - No completed run yet: a backfill of DEFAULT_BACKFILL_DAYS (7) days.
 */
import { backfillStartMs } from "../../domain/ingestion/reach"
import { snowflakeTimeMs } from "../../domain/ingestion/tweet-id"

/** The backfill of a first run, when no run of the account has completed yet. */
export const DEFAULT_BACKFILL_DAYS = 7

/** What the stream `ingestion-<account>` says about the last completed run. */
export interface LastCompletedRun {
  readonly runId: string
  /** Its cursor (largest post id known); undefined when no run has seen a post yet. */
  readonly cursor: string | undefined
  /** Start (epoch ms) of the window it asked for. */
  readonly requestedStartMs: number
  readonly completedAtMs: number
}

export interface RunPlan {
  readonly mode: "incremental" | "backfill"
  /** `since_id` of the timeline request (incremental with a cursor). */
  readonly sinceId: string | undefined
  /** `start_time` of the timeline request (backfills, and incremental runs with no cursor). */
  readonly startMs: number | undefined
  /** N of the backfill (given or the first-run default). */
  readonly backfillDays: number | undefined
  /** Start of the window the run covers: for the 3,200-cap rule and the reach sentence. */
  readonly requestedStartMs: number
  /** Why: one line for the summary. */
  readonly reason: string
}

export const planRun = (input: {
  readonly nowMs: number
  readonly backfillDays: number | undefined
  readonly last: LastCompletedRun | undefined
  readonly defaultBackfillDays?: number
}): RunPlan => {
  const backfill = (days: number, reason: string): RunPlan => {
    const startMs = backfillStartMs(input.nowMs, days)
    return { mode: "backfill", sinceId: undefined, startMs, backfillDays: days, requestedStartMs: startMs, reason }
  }
  if (input.backfillDays !== undefined) return backfill(input.backfillDays, `backfill of the last ${input.backfillDays} days`)
  const last = input.last
  if (last === undefined) {
    const days = input.defaultBackfillDays ?? DEFAULT_BACKFILL_DAYS
    return backfill(days, `first run for this account: backfill of the last ${days} days`)
  }
  if (last.cursor !== undefined) {
    return {
      mode: "incremental",
      sinceId: last.cursor,
      startMs: undefined,
      backfillDays: undefined,
      requestedStartMs: snowflakeTimeMs(last.cursor),
      reason: `incremental: posts newer than ${last.cursor}, the cursor of the last completed run`
    }
  }
  return {
    mode: "incremental",
    sinceId: undefined,
    startMs: last.requestedStartMs,
    backfillDays: undefined,
    requestedStartMs: last.requestedStartMs,
    reason: "incremental: the last completed run saw no post, so again from where it started"
  }
}
