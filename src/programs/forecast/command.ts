/** `musktracker forecast` and `forecast reproduce|list|show|score` (program: ./program.ts). */
import { Args, Command, Options } from "@effect/cli"
import { MODEL_KINDS } from "../../domain/models/model"
import { accountFilterOption, accountOption } from "../cli/account"
import { formatOption } from "../cli/format"
import { lazy } from "../cli/lazy"

/** The default horizon, spelled here for --help (the program's DEFAULT_HORIZON is the same). */
const DEFAULT_HORIZON = "7d"

const MODEL_CHOICES = [...MODEL_KINDS, "ensemble", "best"]

export const forecastOptions = {
  account: accountOption("account whose posts are forecast"),
  model: Options.text("model").pipe(Options.withDefault("best"), Options.withDescription(`${MODEL_CHOICES.join(" | ")} (best: lowest week CRPS in the reference backtest: the completed run with the most models, then origins, then the newest)`)),
  horizon: Options.text("horizon").pipe(Options.optional, Options.withDescription(`hours or days from the origin: 24h, 7d, <n>h, <n>d (default ${DEFAULT_HORIZON})`)),
  from: Options.text("from").pipe(Options.optional, Options.withDescription("forecast as of this ISO instant (origin: the UTC hour containing it); default: the end of the data")),
  window: Options.text("window").pipe(Options.optional, Options.withDescription("count window START/END, ISO instants with offsets, instead of --horizon")),
  brackets: Options.text("brackets").pipe(Options.optional, Options.withDescription('count brackets, e.g. "0-199,200-219,220-239,240+"')),
  count: Options.text("count").pipe(Options.withDefault("all"), Options.withDescription("kinds counted: all, no-replies, or e.g. post,quote (default all)")),
  paths: Options.integer("paths").pipe(Options.withDefault(5000), Options.withDescription("Monte Carlo paths (default 5000)")),
  seed: Options.integer("seed").pipe(Options.withDefault(42), Options.withDescription("seed of every Monte Carlo draw (default 42)")),
  calibrate: Options.boolean("calibrate").pipe(
    Options.withDescription("recalibrate the window total from the model's own PITs in the reference backtest (one model; off by default: it did not win in backtests)")
  ),
  backtest: Options.text("backtest").pipe(
    Options.optional,
    Options.withDescription("the backtest `best`, the ensemble and --calibrate rest on (an id from `backtest list`; default: the reference run)")
  ),
  format: formatOption()
}

const load = () => import("./program")
const forecastIdArg = Args.text({ name: "ID" }).pipe(Args.withDescription("forecast id (a UUID, as `forecast list` shows)"))

const reproduceCommand = Command.make("reproduce", { id: forecastIdArg }, (a) => lazy(load, (m) => m.runReproduce(a))).pipe(
  Command.withDescription("Recompute a forecast from the log up to its watermark and print every difference (exit 1 if any).")
)
const showCommand = Command.make("show", { id: forecastIdArg, format: formatOption() }, (a) => lazy(load, (m) => m.runShow(a))).pipe(
  Command.withDescription("Show a recorded forecast (from the read models), with its score when it has one.")
)
const listCommand = Command.make(
  "list",
  {
    account: accountFilterOption("only this account's forecasts"),
    limit: Options.integer("limit").pipe(Options.withDefault(50), Options.withDescription("newest N forecasts (default 50)")),
    format: formatOption()
  },
  (a) => lazy(load, (m) => m.runList(a))
).pipe(Command.withDescription("List recorded forecasts, newest first, with their scores."))
const scoreCommand = Command.make("score", { account: accountOption("account whose forecasts are scored"), format: formatOption(["table", "json"]) }, (a) => lazy(load, (m) => m.runScore(a))).pipe(
  Command.withDescription("Score every forecast whose window has ended (ForecastScored) and print a running calibration summary.")
)

export const forecastCommand = Command.make("forecast", forecastOptions, (o) => lazy(load, (m) => m.runForecast(o))).pipe(
  Command.withDescription("Forecast how many posts land in a window (recorded as ForecastIssued); subcommands reproduce, list, show, score."),
  Command.withSubcommands([reproduceCommand, listCommand, showCommand, scoreCommand])
)
