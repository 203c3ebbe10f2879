/** `musktracker report` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { lazy } from "../cli/lazy"

export const reportCommand = Command.make(
  "report",
  { out: Options.file("out").pipe(Options.withDefault("report.html"), Options.withDescription("where to write the HTML file (default report.html)")) },
  (a) => lazy(() => import("./program"), (m) => m.runReport(a))
).pipe(
  Command.withDescription("Write a self-contained HTML report: daily counts and regimes, latest forecast, backtest metrics and calibration, fitted parameters.")
)
