/** `musktracker report` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { accountOption } from "../cli/account"
import { lazy } from "../cli/lazy"

export const reportCommand = Command.make(
  "report",
  {
    account: accountOption("account the report is about"),
    out: Options.file("out").pipe(Options.withDefault("report.html"), Options.withDescription("where to write the HTML file (default report.html)")),
    backtest: Options.text("backtest").pipe(
      Options.optional,
      Options.withDescription("the backtest to show (an id from `backtest list`; default: the reference run, the completed one with the most models, then origins)")
    )
  },
  (a) => lazy(() => import("./program"), (m) => m.runReport(a))
).pipe(
  Command.withDescription("Write a self-contained HTML report: daily counts and regimes, latest forecast, backtest metrics and calibration, fitted parameters.")
)
