/** `musktracker backtest list|show` (program: ./program.ts). */
import { Args, Command } from "@effect/cli"
import { accountFilterOption } from "../cli/account"
import { formatOption } from "../cli/format"
import { lazy } from "../cli/lazy"

const load = () => import("./program")
const asFormat = (f: string): "table" | "json" => (f === "json" ? "json" : "table")

const listCommand = Command.make(
  "list",
  { account: accountFilterOption("only this account's runs"), format: formatOption(["table", "json"]) },
  ({ account, format }) => lazy(load, (m) => m.runBacktestList({ account, format: asFormat(format) }))
).pipe(Command.withDescription("List the recorded backtest runs, newest first."))

const showCommand = Command.make(
  "show",
  { id: Args.text({ name: "ID" }).pipe(Args.withDescription("backtest id (see `backtest list`)")), format: formatOption(["table", "json"]) },
  ({ id, format }) => lazy(load, (m) => m.runBacktestShow(id, { format: asFormat(format) }))
).pipe(Command.withDescription("Show one backtest run: per-model averages over origins and per-origin metrics."))

export const backtestCommand = Command.make("backtest").pipe(
  Command.withDescription("Backtest runs recorded by `train`: list, show ID."),
  Command.withSubcommands([listCommand, showCommand])
)
