/** `musktracker features show` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { choiceOption } from "../cli/choice"
import { accountOption } from "../cli/account"
import { lazy } from "../cli/lazy"

export const featuresShowOptions = {
  account: accountOption("account whose posts make the rows"),
  from: Options.text("from").pipe(Options.withDescription("first hour, ISO 8601 on a UTC hour")),
  to: Options.text("to").pipe(Options.withDescription("end hour (exclusive)")),
  columns: Options.text("columns").pipe(
    Options.repeated,
    Options.withDescription(
      "column names or groups (lags, rolling, hour_dummies, dow_dummies, calendar, fourier, exogenous, default), comma-separated; default: every default column, plus regime columns when regime shifts are known"
    )
  ),
  asOf: Options.text("as-of").pipe(Options.optional, Options.withDescription("knowledge cutoff (default: now)")),
  format: choiceOption("format", ["table", "csv"]).pipe(Options.withDefault("table" as const))
}

const showCommand = Command.make("show", featuresShowOptions, (a) =>
  lazy(
    () => import("./program"),
    (m) => m.runShowFeatures(a)
  )
).pipe(Command.withDescription("Print the feature rows of [--from, --to) as known at --as-of (default now)."))

export const featuresCommand = Command.make("features").pipe(Command.withDescription("Feature matrix: show."), Command.withSubcommands([showCommand]))
