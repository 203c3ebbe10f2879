/** `musktracker projections status|rebuild|verify|follow` (program: ./program.ts). */
import { Args, Command } from "@effect/cli"
import { Option } from "effect"
import { accountFilterOption } from "../cli/account"
import { lazy } from "../cli/lazy"

const load = () => import("./program")

const statusCommand = Command.make("status", {}, () => lazy(load, (m) => m.runProjectionsStatus)).pipe(
  Command.withDescription("Each projection's checkpoint and lag (events in the log after it).")
)

const accountFilter = accountFilterOption("only this account's rows (shared rows, such as curated events, are compared whole)")

const rebuildCommand = Command.make("rebuild", { name: Args.text({ name: "NAME" }).pipe(Args.withDescription("projection to rebuild")), account: accountFilter }, ({ name, account }) =>
  lazy(load, (m) => m.runProjectionsRebuild(name, account))
).pipe(Command.withDescription("Replay the whole log into fresh tables, then swap them in atomically (with --account: only that account's rows)."))

const verifyCommand = Command.make(
  "verify",
  { name: Args.text({ name: "NAME" }).pipe(Args.withDescription("projection to verify (default: all)"), Args.optional), account: accountFilter },
  ({ name, account }) => lazy(load, (m) => m.runProjectionsVerify(Option.getOrUndefined(name), account))
).pipe(Command.withDescription("Replay the log into a shadow schema and diff it against the live tables; exit 1 on any difference."))

const followCommand = Command.make("follow", {}, () => lazy(load, (m) => m.runProjectionsFollow)).pipe(
  Command.withDescription("Run the projector continuously: catch up, then apply new events as they commit (until interrupted).")
)

export const projectionsCommand = Command.make("projections").pipe(
  Command.withDescription("Read models built from the event log: status, rebuild NAME, verify [NAME], follow."),
  Command.withSubcommands([statusCommand, rebuildCommand, verifyCommand, followCommand])
)
