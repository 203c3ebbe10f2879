/** `musktracker accounts list` (program: ./program.ts). */
import { Command } from "@effect/cli"
import { formatOption } from "../cli/format"
import { lazy } from "../cli/lazy"

const listCommand = Command.make("list", { format: formatOption(["table", "json"]) }, (a) => lazy(() => import("./program"), (m) => m.runAccountsList(a))).pipe(
  Command.withDescription("List every account the store knows: its tweets and their span, its last ingest run and its latest forecast.")
)

export const accountsCommand = Command.make("accounts").pipe(
  Command.withDescription("Tracked accounts (every read model is keyed by account; commands take --account, default MUSKTRACKER_ACCOUNT or elonmusk)."),
  Command.withSubcommands([listCommand])
)
