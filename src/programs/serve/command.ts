/** `musktracker serve` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { accountOption } from "../cli/account"
import { lazy } from "../cli/lazy"

export const serveOptions = {
  account: accountOption("account(s) to track, comma-separated"),
  listen: Options.text("listen").pipe(Options.withDefault("127.0.0.1:8080"), Options.withDescription("HOST:PORT of the read-only HTTP API (default 127.0.0.1:8080; port 0: any free port)")),
  pollEvery: Options.text("poll-every").pipe(Options.withDefault("5m"), Options.withDescription("incremental ingest of every account this often, when X_BEARER_TOKEN is set (default 5m)")),
  forecastEvery: Options.text("forecast-every").pipe(Options.withDefault("1h"), Options.withDescription("issue the scheduled forecasts and score ended windows this often (default 1h)")),
  windowSchedule: Options.text("window-schedule").pipe(
    Options.repeated,
    Options.withDescription('calendar windows forecast on the schedule, "<weekday> <HH:MM> <time zone> <N>d", e.g. "fri 12:00 America/New_York 7d" (repeatable)')
  ),
  windows: Options.text("windows").pipe(Options.withDefault("7d"), Options.withDescription("rolling windows forecast on the schedule, e.g. 24h,7d (default 7d)")),
  stream: Options.boolean("stream").pipe(
    Options.withDescription("also follow X's filtered stream (rules from:<account>), reconnecting with X's back-off; polling goes on as the safety net")
  ),
  maxLag: Options.integer("max-lag").pipe(Options.withDefault(1000), Options.withDescription("/ready fails when a projection lags the log by more events than this (default 1000)"))
}

export const serveCommand = Command.make("serve", serveOptions, (o) => lazy(() => import("./program"), (m) => m.runServe(o))).pipe(
  Command.withDescription(
    "Run as a service: ingestion on a schedule, projections following the log, scheduled forecasts and scoring, and a read-only HTTP API (health, ready, counts, forecasts, backtests, metrics). SIGINT/SIGTERM stop it cleanly."
  )
)
