/**
 * Commands are defined (name, options, description) in src/programs/<command>/command.ts, which loads nothing heavy;
 * each handler imports its program module only when that command runs. So `--help` and every command
 * pay only for what they use (the bundle splits at these imports: scripts/build.mjs).
 */
import type { Command } from "@effect/cli"
import { Effect } from "effect"

/** The parsed arguments of a command's options object. */
export type CliArgs<Options extends Command.Command.Config> = Command.Command.ParseConfig<Options>

/** Runs `run` from the module `load` imports (a failed import is a defect: the install is broken). */
export const lazy = <M, A, E, R>(load: () => Promise<M>, run: (m: M) => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.promise(load), run)
