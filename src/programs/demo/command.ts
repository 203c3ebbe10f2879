/** `musktracker demo` (program: ./program.ts). */
import { Command, Options } from "@effect/cli"
import { lazy } from "../cli/lazy"

export const demoOptions = {
  weeks: Options.integer("weeks").pipe(Options.withDefault(26), Options.withDescription("weeks of simulated history (>= 12) (default 26)")),
  seed: Options.integer("seed").pipe(Options.withDefault(2025), Options.withDescription("seed of the simulated history and of every forecast (default 2025)")),
  accounts: Options.integer("accounts").pipe(Options.withDefault(1), Options.withDescription("simulated accounts, 1 to 3, ingested together and shown side by side (default 1)")),
  dataDir: Options.text("data-dir").pipe(Options.optional, Options.withDescription("where to create the demo store (default ./.musktracker-demo-<time>)"))
}

export const demoCommand = Command.make("demo", demoOptions, (o) => lazy(() => import("./program"), (m) => m.runDemo(o))).pipe(
  Command.withDescription("Run the whole job on simulated data in a fresh embedded store: ingest via a local X API stand-in, train, forecast, reproduce.")
)
