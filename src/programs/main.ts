/**
 * `musktracker <command>`: the CLI entry point. Each command lives in its own module under
 * src/programs and provides its own Layers; this file only assembles them and maps failures to
 * one error line and an exit code (2 for usage, 1 otherwise).
 */
import { CliConfig, Command, ValidationError } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { Cause, Effect, Exit, Fiber, Logger, LogLevel } from "effect"
import { parseLogLevel } from "../adapters/config"
import { packageManifest } from "../adapters/package-root"
import { redactSecrets } from "../adapters/redact"
import { errorLine, exitCodeFor, primaryError } from "./cli/cli-errors"
import { useColour } from "./cli/format"
import { asksForHelp, commandPath, HELP_WIDTH, withHelpStyle } from "./cli/help"
import { subcommands } from "./commands"

const version = packageManifest().version

const root = Command.make("musktracker").pipe(
  Command.withDescription("Event-sourced forecasts of how much @elonmusk posts on X."),
  Command.withSubcommands(subcommands)
)

const cli = Command.run(root, { name: "musktracker", version })

// An invalid LOG_LEVEL is reported by AppConfig when a command reads its configuration.
const logLevelFromEnv = (): LogLevel.LogLevel => parseLogLevel(process.env.LOG_LEVEL ?? "info") ?? LogLevel.Info

// Help in the program's style: its name in usage lines, colour only on a terminal, at most 100 columns.
const helpStyle = { program: "musktracker", parents: commandPath(process.argv).slice(0, -1), colour: useColour(process.stdout), width: Math.min(HELP_WIDTH, process.stdout.columns ?? HELP_WIDTH) }
const run = asksForHelp(process.argv) ? withHelpStyle(cli(process.argv), helpStyle) : cli(process.argv)

const program = run.pipe(
  // Types are in each option's own description ("(default 12)", the choices); not repeated as "An integer."
  Effect.provide(CliConfig.layer({ showTypes: false })),
  Effect.provide(NodeContext.layer),
  // Logs go to stderr so that stdout stays machine-readable (csv/json output), and pass the redaction
  // step: no token or password reaches a log line.
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.map(Logger.logfmtLogger, (line) => redactSecrets(line))))),
  Logger.withMinimumLogLevel(logLevelFromEnv())
)

// Ctrl-C / SIGTERM interrupt the program, so finalizers run (databases closed, servers stopped)
// and nothing is left half-written; the exit status is then 130.
const fiber = Effect.runFork(program as Effect.Effect<void, unknown, never>)
const interrupt = () => void Effect.runFork(Fiber.interrupt(fiber))
process.once("SIGINT", interrupt)
process.once("SIGTERM", interrupt)
/**
 * Exits once stdout and stderr have handed everything written to the OS. Writes to a pipe are
 * asynchronous: `process.exit` right after a large `--format json|csv` would cut the output off at the
 * pipe's buffer (64 KiB) for `musktracker counts ... | jq`, though not for a terminal or a file.
 */
const exitWhenFlushed = async (code: number): Promise<never> => {
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => (stream.writableLength === 0 ? resolve() : stream.write("", () => resolve())))
  await Promise.all([flushed(process.stdout), flushed(process.stderr)])
  process.exit(code)
}

const exit = await Effect.runPromise(Fiber.await(fiber))
if (Exit.isFailure(exit)) {
  // A service stopped by a signal has done its job (exit 0); any other command was cut short (130).
  if (Cause.isInterruptedOnly(exit.cause)) await exitWhenFlushed(commandPath(process.argv)[0] === "serve" ? 0 : 130)
  const error = primaryError(exit.cause)
  const code = exitCodeFor(error)
  // @effect/cli has already printed what was wrong for its validation errors; add where usage is.
  if (isCliValidation(error)) process.stderr.write("usage: musktracker <command> [options]   (musktracker <command> --help for details)\n")
  else process.stderr.write(`error: ${redactSecrets(errorLine(error))}\n`)
  if (process.env.MUSKTRACKER_DEBUG) process.stderr.write(redactSecrets(Cause.pretty(exit.cause)) + "\n")
  await exitWhenFlushed(code)
}
await exitWhenFlushed(0)

function isCliValidation(error: unknown): boolean {
  return ValidationError.isValidationError(error)
}
