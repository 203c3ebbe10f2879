/** `musktracker counts` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { accountOption } from "../cli/account"
import { formatOption } from "../cli/format"
import { lazy } from "../cli/lazy"

const instantOption = (name: string, description: string) => Options.text(name).pipe(Options.optional, Options.withDescription(description))

export const countsOptions = {
  account: accountOption("account whose tweets are counted"),
  hourly: Options.boolean("hourly").pipe(Options.withDescription("hourly buckets (default)")),
  daily: Options.boolean("daily").pipe(Options.withDescription("daily buckets (UTC days)")),
  from: instantOption("from", "start (inclusive), ISO 8601; default: 7 days (hourly) or 90 days (daily) before --to"),
  to: instantOption("to", "end (exclusive), ISO 8601; default: the end of the last bucket with data"),
  count: Options.text("count").pipe(Options.withDefault("all"), Options.withDescription("kinds counted: all, no-replies, or e.g. post,quote (default all)")),
  format: formatOption()
}

export const countsCommand = Command.make("counts", countsOptions, (args) => lazy(() => import("./program"), (m) => m.runCounts(args))).pipe(
  Command.withDescription("Print hourly or daily tweet counts (UTC) from the read models.")
)
