/** `musktracker backtest list|show` (program: src/programs/backtest.ts). */
import { Args, Command } from "@effect/cli"
import { Effect } from "effect"
import { formatOption } from "../format"
import { lazy } from "./lazy"

const load = () => Promise.all([import("../backtest"), import("../layers")])
const asFormat = (f: string): "table" | "json" => (f === "json" ? "json" : "table")

const listCommand = Command.make("list", { format: formatOption(["table", "json"]) }, ({ format }) =>
  lazy(load, ([m, l]) => Effect.provide(m.backtestList({ format: asFormat(format) }), l.StoreLayer))
).pipe(Command.withDescription("List the recorded backtest runs, newest first."))

const showCommand = Command.make(
  "show",
  { id: Args.text({ name: "ID" }).pipe(Args.withDescription("backtest id (see `backtest list`)")), format: formatOption(["table", "json"]) },
  ({ id, format }) => lazy(load, ([m, l]) => Effect.provide(m.backtestShow(id, { format: asFormat(format) }), l.StoreLayer))
).pipe(Command.withDescription("Show one backtest run: per-model averages over origins and per-origin metrics."))

export const backtestCommand = Command.make("backtest").pipe(
  Command.withDescription("Backtest runs recorded by `train`: list, show ID."),
  Command.withSubcommands([listCommand, showCommand])
)
