/** `musktracker audit verify|head` (program: ./program.ts). */
import { Command } from "@effect/cli"
import { formatOption } from "../cli/format"
import { lazy } from "../cli/lazy"

const load = () => import("./program")

const verifyCommand = Command.make("verify", { format: formatOption(["table", "json"]) }, (a) => lazy(load, (m) => m.runAuditVerify(a))).pipe(
  Command.withDescription("Walk the event log against its hash chain; name the first position that does not match (exit 1).")
)
const headCommand = Command.make("head", { format: formatOption(["table", "json"]) }, (a) => lazy(load, (m) => m.runAuditHead(a))).pipe(
  Command.withDescription("Print the position and hash of the log's last event, to record elsewhere and compare later.")
)

export const auditCommand = Command.make("audit").pipe(
  Command.withDescription("The tamper-evident event log: verify, head."),
  Command.withSubcommands([verifyCommand, headCommand])
)
