/** `musktracker projections status|rebuild|verify|follow` (program: src/programs/projections.ts). */
import { Args, Command } from "@effect/cli"
import { Effect, Option } from "effect"
import { lazy } from "./lazy"

const load = () => Promise.all([import("../projections"), import("../layers")])

const statusCommand = Command.make("status", {}, () => lazy(load, ([m, l]) => Effect.provide(m.projectionsStatus, l.StoreLayer))).pipe(
  Command.withDescription("Each projection's checkpoint and lag (events in the log after it).")
)

const rebuildCommand = Command.make("rebuild", { name: Args.text({ name: "NAME" }).pipe(Args.withDescription("projection to rebuild")) }, ({ name }) =>
  lazy(load, ([m, l]) => Effect.provide(m.projectionsRebuild(name), l.StoreLayer))
).pipe(Command.withDescription("Replay the whole log into fresh tables, then swap them in atomically."))

const verifyCommand = Command.make(
  "verify",
  { name: Args.text({ name: "NAME" }).pipe(Args.withDescription("projection to verify (default: all)"), Args.optional) },
  ({ name }) => lazy(load, ([m, l]) => Effect.provide(m.projectionsVerify(Option.getOrUndefined(name)), l.StoreLayer))
).pipe(Command.withDescription("Replay the log into a shadow schema and diff it against the live tables; exit 1 on any difference."))

const followCommand = Command.make("follow", {}, () => lazy(load, ([m, l]) => Effect.provide(m.projectionsFollow, l.StoreLayer))).pipe(
  Command.withDescription("Run the projector continuously: catch up, then apply new events as they commit (until interrupted).")
)

export const projectionsCommand = Command.make("projections").pipe(
  Command.withDescription("Read models built from the event log: status, rebuild NAME, verify [NAME], follow."),
  Command.withSubcommands([statusCommand, rebuildCommand, verifyCommand, followCommand])
)
