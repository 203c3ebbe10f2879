/**
 * `ingestion_runs`: one row per `musktracker ingest` run (src/domain/events/ingestion.ts), keyed by its
 * run id: the request (mode, since_id / start_time), page totals, and — once completed — the cursor
 * and how far back the run reached, or why it failed or was interrupted (migration 0042). `position` is
 * that of the run's latest event. Table: migration 0040.
 */
import { IngestionPageFetched, IngestionRunCompleted, IngestionRunFailed, IngestionRunStarted } from "../domain/events/ingestion"
import type { Projection } from "./projection"
import { noWrites, Write } from "./write"

export const INGESTION_RUNS_TABLE = "ingestion_runs"

export const ingestionRunsProjection: Projection = {
  name: "ingestion_runs",
  tables: [INGESTION_RUNS_TABLE],
  eventTypes: [IngestionRunStarted.type, IngestionPageFetched.type, IngestionRunCompleted.type, IngestionRunFailed.type],
  handle: (event, position) => {
    const pos = position.toString()
    if (IngestionRunStarted.is(event)) {
      const d = event.data
      return [
        Write.merge(INGESTION_RUNS_TABLE, {
          run_id: d.runId,
          account: d.account,
          user_id: d.userId,
          mode: d.mode,
          since_id: d.sinceId ?? null,
          start_time: d.startTime ?? null,
          backfill_days: d.backfillDays ?? null,
          started_at: d.startedAt,
          position: pos
        })
      ]
    }
    if (IngestionPageFetched.is(event)) {
      const d = event.data
      return [
        Write.merge(INGESTION_RUNS_TABLE, { run_id: d.runId, account: d.account, position: pos }),
        Write.increment(
          INGESTION_RUNS_TABLE,
          { run_id: d.runId },
          { pages: 1, posts_served: d.resultCount, tweets_appended: d.appended, partial_errors: d.partialErrors.length }
        )
      ]
    }
    if (IngestionRunCompleted.is(event)) {
      const d = event.data
      return [
        Write.merge(INGESTION_RUNS_TABLE, {
          run_id: d.runId,
          account: d.account,
          status: "completed",
          tweets_seen: d.tweetsSeen,
          cursor: d.cursor ?? null,
          reach_kind: d.reach.kind,
          reach: d.reach.description,
          reached_back_to: d.reach.reachedBackTo,
          needs_import_from: d.reach.needsImport?.start ?? null,
          needs_import_to: d.reach.needsImport?.end ?? null,
          completed_at: d.completedAt,
          position: pos
        })
      ]
    }
    if (IngestionRunFailed.is(event)) {
      const d = event.data
      return [
        Write.merge(INGESTION_RUNS_TABLE, {
          run_id: d.runId,
          account: d.account,
          status: d.outcome,
          failure_reason: d.reason,
          failed_at: d.failedAt,
          closed_by: d.closedBy ?? null,
          position: pos
        })
      ]
    }
    return noWrites
  }
}
