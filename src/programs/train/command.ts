/** `musktracker train` (program: ./program.ts). */
import { accountOption } from "../cli/account"
import { Command, Options } from "@effect/cli"
import { choiceOption } from "../cli/choice"
import { cpus } from "node:os"
import { MODEL_KINDS } from "../../domain/models/model"
import { lazy } from "../cli/lazy"

/** Half a year of earlier weeks: enough for calibration (10+) and the ensemble's weights to start. */
export const DEFAULT_BURN_IN_WEEKS = 26

export const trainOptions = {
  account: accountOption("account whose posts are backtested and fitted"),
  model: choiceOption("model", [...MODEL_KINDS, "all"] as const).pipe(Options.withDefault("all" as const), Options.withDescription("model to train, or all (default all)")),
  backtestWindows: Options.integer("backtest-windows").pipe(Options.withDefault(12), Options.withDescription("number of latest Monday origins to backtest (default 12)")),
  trainWindow: Options.text("train-window").pipe(Options.withDefault("8w"), Options.withDescription("training window: <weeks>w or since-regime (default 8w)")),
  protocol: choiceOption("protocol", ["dev"] as const).pipe(Options.optional, Options.withDescription("dev: exactly the 25 development origins of PROTOCOL.md")),
  origins: Options.text("origins").pipe(Options.optional, Options.withDescription("every Monday 00:00 UTC in FROM..TO, e.g. 2025-07-07..2025-09-29")),
  burnInWeeks: Options.integer("burn-in-weeks").pipe(
    Options.withDefault(DEFAULT_BURN_IN_WEEKS),
    Options.withDescription(`weeks before the first origin evaluated only so calibration and the ensemble learn from earlier errors (default ${DEFAULT_BURN_IN_WEEKS})`)
  ),
  paths: Options.integer("paths").pipe(Options.withDefault(2000), Options.withDescription("Monte Carlo paths per forecast (>= 2000 for the protocol) (default 2000)")),
  seed: Options.integer("seed").pipe(Options.withDefault(42), Options.withDescription("seed of every Monte Carlo draw (default 42)")),
  workers: Options.integer("workers").pipe(Options.withDefault(cpus().length), Options.withDescription("worker threads; results do not depend on it (default: the number of CPUs)")),
  count: Options.text("count").pipe(Options.withDefault("all"), Options.withDescription("kinds counted: all, no-replies, or e.g. post,quote (default all)")),
  format: choiceOption("format", ["table", "json"] as const).pipe(Options.withDefault("table" as const))
}

export const trainCommand = Command.make("train", trainOptions, (o) => lazy(() => import("./program"), (m) => m.runTrain(o))).pipe(
  Command.withDescription("Backtest models by replaying history, record the results, and fit each model on the latest window.")
)
