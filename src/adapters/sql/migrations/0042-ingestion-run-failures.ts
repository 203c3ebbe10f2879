/**
 * Ingestion runs that end without completing (IngestionRunFailed): the status may now be `failed` or
 * `interrupted`, with the reason, when it was recorded and, for an interrupted run, the run that closed it.
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 42,
  name: "ingestion_run_failures",
  up: (db) =>
    execAll(db, [
      `alter table ingestion_runs drop constraint ingestion_runs_status_check`,
      `alter table ingestion_runs add constraint ingestion_runs_status_check check (status in ('started', 'completed', 'failed', 'interrupted'))`,
      `alter table ingestion_runs add column failure_reason text, add column failed_at timestamptz, add column closed_by uuid`
    ]),
  down: (db) =>
    execAll(db, [
      `alter table ingestion_runs drop column closed_by, drop column failed_at, drop column failure_reason`,
      `delete from ingestion_runs where status in ('failed', 'interrupted')`,
      `alter table ingestion_runs drop constraint ingestion_runs_status_check`,
      `alter table ingestion_runs add constraint ingestion_runs_status_check check (status in ('started', 'completed'))`
    ])
}

export default migration
