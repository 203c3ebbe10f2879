/** `musktracker import FILE` (program: ./program.ts). */
import { Args, Command, Options } from "@effect/cli"
import { accountOption } from "../cli/account"
import { lazy } from "../cli/lazy"

export const importOptions = {
  file: Args.file({ name: "FILE", exists: "yes" }).pipe(Args.withDescription("CSV with columns tweet_id,created_at[,kind]")),
  account: accountOption("account the archive belongs to"),
  skipInvalid: Options.boolean("skip-invalid").pipe(
    Options.withDescription("leave out invalid rows (each is listed on stderr with its line and rule) instead of failing with nothing written")
  )
}

export const importCommand = Command.make("import", importOptions, (args) => lazy(() => import("./program"), (m) => m.runImport(args))).pipe(
  Command.withDescription("Import a CSV archive of tweets (idempotent: re-running appends only what is missing).")
)
