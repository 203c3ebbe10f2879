/** `musktracker ingest` and `ingest verify|runs` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { accountFilterOption, accountOption as accountFlag } from "../cli/account"
import { formatOption } from "../cli/format"
import { lazy } from "../cli/lazy"

const load = () => import("./program")


const verifyCommand = Command.make(
  "verify",
  {
    account: accountFlag(),
    days: Options.integer("days").pipe(Options.withDefault(7), Options.withDescription("hours of the last N days, N from 1 to 7 (X counts reach 7 days) (default 7)"))
  },
  (a) => lazy(load, (m) => m.runVerify(a))
).pipe(Command.withDescription("Compare the read model's hourly counts with X's counts endpoint and print every hour that differs (exit 1 when any does)."))

const runsCommand = Command.make(
  "runs",
  {
    account: accountFilterOption("only this account's runs"),
    limit: Options.integer("limit").pipe(Options.withDefault(10), Options.withDescription("most recent runs to show (default 10)")),
    format: formatOption(["table", "json"])
  },
  (a) => lazy(load, (m) => m.runRuns(a))
).pipe(Command.withDescription("List recent ingest runs (from the ingestion_runs read model)."))

export const ingestCommand = Command.make(
  "ingest",
  {
    account: accountFlag("X account (handle, with or without @), or several separated by commas, ingested together"),
    backfillDays: Options.integer("backfill-days").pipe(
      Options.optional,
      Options.withDescription("fetch every post of the last N days (default: incremental from the last completed run; a first run backfills 7 days)")
    )
  },
  (a) => lazy(load, (m) => m.runIngest(a))
).pipe(
  Command.withDescription("Fetch posts from the X API v2 into the log: incrementally from the last completed run, or --backfill-days N. Idempotent and resumable."),
  Command.withSubcommands([verifyCommand, runsCommand])
)
