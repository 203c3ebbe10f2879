/** `musktracker status` (program: ./program.ts). */
import { Command } from "@effect/cli"
import { formatOption } from "../cli/format"
import { lazy } from "../cli/lazy"

export const statusOptions = { format: formatOption(["table", "json"]) }

export const statusCommand = Command.make("status", statusOptions, (args) => lazy(() => import("./program"), (m) => m.runStatus(args))).pipe(
  Command.withDescription("Show the store in use, its event count and last position, and each projection's checkpoint and lag.")
)
