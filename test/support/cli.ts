/**
 * Runs `musktracker` commands in-process the way the design asks tests to: configuration comes in as an
 * Effect ConfigProvider (process.env is never edited), and what the command prints goes to a Console
 * and a Logger swapped in through Effect (no spies on the global console).
 */
import { NodeContext } from "@effect/platform-node"
import { ConfigProvider, Console, Effect, Exit, Layer, Logger } from "effect"
import { inspect } from "node:util"

export interface CapturedOutput {
  /** Console.log / info / debug lines. */
  readonly out: string[]
  /** Console.error / warn / trace lines. */
  readonly err: string[]
  /** Effect log lines: `LEVEL message`. */
  readonly logs: string[]
}

const text = (args: ReadonlyArray<unknown>): string => args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" ")

/** An Effect Console that records lines instead of writing them. */
export const capturingConsole = (output: CapturedOutput): Console.Console => {
  const toOut = (...args: ReadonlyArray<unknown>) => void output.out.push(text(args))
  const toErr = (...args: ReadonlyArray<unknown>) => void output.err.push(text(args))
  const none = () => undefined
  const unsafe: Console.UnsafeConsole = {
    assert: (condition, ...args) => (condition ? undefined : toErr("Assertion failed:", ...args)),
    clear: none,
    count: none,
    countReset: none,
    debug: toOut,
    dir: (item) => toOut(item),
    dirxml: toOut,
    error: toErr,
    group: none,
    groupCollapsed: none,
    groupEnd: none,
    info: toOut,
    log: toOut,
    table: (data) => toOut(data),
    time: none,
    timeEnd: none,
    timeLog: none,
    trace: toErr,
    warn: toErr
  }
  const lift =
    <A extends ReadonlyArray<unknown>>(f: (...args: A) => void) =>
    (...args: A) =>
      Effect.sync(() => f(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: lift(unsafe.assert),
    clear: Effect.void,
    count: lift(unsafe.count),
    countReset: lift(unsafe.countReset),
    debug: lift(unsafe.debug),
    dir: lift(unsafe.dir),
    dirxml: lift(unsafe.dirxml),
    error: lift(unsafe.error),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: lift(unsafe.info),
    log: lift(unsafe.log),
    table: lift(unsafe.table),
    time: lift(unsafe.time),
    timeEnd: lift(unsafe.timeEnd),
    timeLog: lift(unsafe.timeLog),
    trace: lift(unsafe.trace),
    warn: lift(unsafe.warn),
    unsafe
  }
}

/** Console, logger and configuration for one run: the Layer a test provides instead of spying. */
export const testEnvironment = (env: Readonly<Record<string, string | undefined>>) => {
  const output: CapturedOutput = { out: [], err: [], logs: [] }
  const logger = Logger.make(({ logLevel, message }) => {
    output.logs.push(`${logLevel.label} ${text(Array.isArray(message) ? message : [message])}`)
  })
  const defined = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)
  const layer = Layer.mergeAll(
    Console.setConsole(capturingConsole(output)),
    Logger.replace(Logger.defaultLogger, logger),
    Layer.setConfigProvider(ConfigProvider.fromMap(new Map(defined)))
  )
  return { output, layer }
}

/** A Layer whose Console records into `output` (default: thrown away): for runtimes of programs under test. */
export const recordingConsole = (output: CapturedOutput = { out: [], err: [], logs: [] }) => Console.setConsole(capturingConsole(output))

export interface CliRun {
  readonly exit: Exit.Exit<void, unknown>
  /** One entry per Console.log call. */
  readonly out: ReadonlyArray<string>
  /** Console.log lines, joined by newlines. */
  readonly stdout: string
  readonly stderr: string
  readonly logs: ReadonlyArray<string>
}

/** The function `Command.run` returns, for the commands under test. */
export type CliMain = (args: ReadonlyArray<string>) => Effect.Effect<void, unknown, NodeContext.NodeContext>

/**
 * Runs `musktracker ARGS` with exactly `env` as its configuration (nothing from process.env: no
 * DATABASE_URL or EVENTSTORE_URL leaks in from the machine).
 */
export const runCli = async (cli: CliMain, args: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): Promise<CliRun> => {
  const { output, layer } = testEnvironment(env)
  const exit = await Effect.runPromiseExit(cli(["node", "musktracker", ...args]).pipe(Effect.provide(NodeContext.layer), Effect.provide(layer)))
  return { exit, out: output.out, stdout: output.out.join("\n"), stderr: output.err.join("\n"), logs: output.logs }
}
