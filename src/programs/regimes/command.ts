/** `musktracker regimes detect|list` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { choiceOption } from "../cli/choice"
import { accountFilterOption, accountOption } from "../cli/account"
import { formatOption } from "../cli/format"
import { lazy } from "../cli/lazy"
import { DETECTOR_CHOICES } from "../../domain/regimes/types"

/** Detector names (src/domain/regimes), spelled here so the CLI loads no detector code for --help. */

const detectorOption = (description: string) =>
  choiceOption("detector", DETECTOR_CHOICES).pipe(Options.withDefault("both" as const), Options.withDescription(description))

const detectCommand = Command.make(
  "detect",
  {
    account: accountOption("account whose daily counts are analysed"),
    detector: detectorOption("bocpd (Bayesian online change points), rolling_variance, or both"),
    format: formatOption(["table", "json"])
  },
  (o) => lazy(() => import("./program"), (m) => m.runRegimesDetect({ ...o, format: o.format === "json" ? "json" : "table" }))
).pipe(
  Command.withDescription(
    "Detect posting-regime shifts online in the daily UTC counts and record each as RegimeShiftDetected (idempotent: a re-run appends nothing new)."
  )
)

const listCommand = Command.make(
  "list",
  {
    account: accountFilterOption("only this account's regimes"),
    detector: detectorOption("only this detector (default: both)"),
    format: formatOption(["table", "json"])
  },
  (o) => lazy(() => import("./program"), (m) => m.runRegimesList({ ...o, format: o.format === "json" ? "json" : "table" }))
).pipe(Command.withDescription("List the recorded regime shifts (the regimes read model)."))

export const regimesCommand = Command.make("regimes").pipe(
  Command.withDescription("Posting-regime shifts: detect (and record) them, list them."),
  Command.withSubcommands([detectCommand, listCommand])
)
