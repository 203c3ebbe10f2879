/** `musktracker status` (program: src/programs/status.ts). */
import { Command } from "@effect/cli"
import { formatOption } from "../format"
import { lazy } from "./lazy"

export const statusOptions = { format: formatOption(["table", "json"]) }

export const statusCommand = Command.make("status", statusOptions, (args) => lazy(() => import("../status"), (m) => m.runStatus(args))).pipe(
  Command.withDescription("Show the store in use, its event count and last position, and each projection's checkpoint and lag.")
)
