/**
 * Help as a person reads it: @effect/cli renders help text with escape codes, usage lines as
 * `$ <subcommand> …` and lines as long as their content; this pass gives the real program name, no
 * colour where it is not wanted (a pipe, NO_COLOR), and lines wrapped to the terminal's width (at most
 * 100 columns) with their indentation kept.
 */
import { Console, Effect } from "effect"
import { stripEscapes, visibleLength } from "./format"

export const HELP_WIDTH = 100

export interface HelpStyle {
  readonly program: string
  /** Commands above the one whose help this is (`forecast` for `forecast reproduce --help`). */
  readonly parents?: ReadonlyArray<string>
  readonly colour: boolean
  readonly width: number
}

/**
 * Lines @effect/cli adds to every option that say what its header line already says (the value's type,
 * the list of choices) or what every option here is (optional, defaults shown in its description).
 */
const BOILERPLATE = /^\s+(An integer\.|A user-defined piece of text\.|A true or false value\.|A floating point number\.|This setting is optional\.|One of the following: .*)$/

/** Words of `line` wrapped to `width` visible columns; continuation lines indented by `indent`. */
const wrapLine = (line: string, width: number, indent: string): string[] => {
  if (visibleLength(line) <= width) return [line]
  const lead = /^\s*/.exec(line)![0]
  const words = line.slice(lead.length).split(" ")
  const out: string[] = []
  let current = lead
  for (const word of words) {
    const candidate = current.trim().length === 0 ? current + word : `${current} ${word}`
    if (visibleLength(candidate) > width && current.trim().length > 0) {
      out.push(current)
      current = indent + word
    } else current = candidate
  }
  out.push(current)
  return out
}

/**
 * A line of the COMMANDS list: `- <usage>   <description>` padded into one column for the longest usage
 * (hundreds of columns), a nested command's usage also repeating its parent's options. Printed as the
 * usage (the parent's options dropped) over its description.
 */
const commandEntry = (plain: string): { lead: string; usage: string; description: string } | undefined => {
  const m = /^(\s*)- (.+?)\s{2,}(\S.*)$/.exec(plain)
  if (m === null) return undefined
  // "forecast [--model text] … reproduce <ID>": the options belong to forecast, not to reproduce.
  const usage = m[2]!.replace(/^(\S+) (?:\[[^\]]*\] ?)+(?=[a-z][\w-]*(?: |$))/, "$1 ").trim()
  return { lead: m[1]!, usage, description: m[3]! }
}

/** A repeatable option may be given zero times: usage shows it in brackets, as every other optional one. */
const bracketRepeated = (usage: string): string => usage.replace(/(^|\s)(--[\w-]+(?: text)?\.\.\.)(?=\s|$)/g, "$1[$2]")

/** The help text @effect/cli printed, in the program's style. */
export const formatHelp = (text: string, style: HelpStyle): string =>
  text
    .split("\n")
    .flatMap((raw) => {
      let line = (style.colour ? raw : stripEscapes(raw)).trimEnd()
      // Usage lines name the program, whichever (sub)command's help this is.
      if (stripEscapes(line).startsWith("$ ") && !stripEscapes(line).startsWith(`$ ${style.program}`))
        line = line.replace("$ ", `$ ${[style.program, ...(style.parents ?? [])].join(" ")} `)
      if (stripEscapes(line).startsWith("$ ")) line = bracketRepeated(line)
      const plain = stripEscapes(line)
      if (BOILERPLATE.test(plain)) return []
      const entry = commandEntry(plain)
      if (entry !== undefined)
        return [
          ...wrapLine(`${entry.lead}- ${bracketRepeated(entry.usage)}`, style.width, `${entry.lead}    `),
          ...wrapLine(`${entry.lead}    ${entry.description}`, style.width, `${entry.lead}    `)
        ]
      const lead = /^\s*/.exec(plain)![0]
      const indent = plain.startsWith("$ ") || /^-{1,2}\w|^\(-/.test(plain) ? "    " : lead
      return wrapLine(line, style.width, indent)
    })
    .join("\n")
    // dropped lines leave their blank neighbours: one blank line between blocks
    .replace(/\n{3,}/g, "\n\n")

/** Whether these arguments ask for help (or give no command, which prints it). */
export const asksForHelp = (argv: ReadonlyArray<string>): boolean => {
  const args = argv.slice(2)
  return args.length === 0 || args.includes("--help") || args.includes("-h")
}

/** The commands named before the first option: `["forecast", "reproduce"]` for `forecast reproduce --help`. */
export const commandPath = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const args = argv.slice(2)
  const firstOption = args.findIndex((a) => a.startsWith("-"))
  return firstOption < 0 ? args : args.slice(0, firstOption)
}

/** A Console that prints help (Console.log) in `style`; everything else passes through. */
export const helpConsole = (base: Console.Console, style: HelpStyle): Console.Console => ({
  ...base,
  log: (...args: ReadonlyArray<unknown>) => base.log(...args.map((a) => (typeof a === "string" ? formatHelp(a, style) : a))),
  unsafe: { ...base.unsafe, log: (...args: ReadonlyArray<unknown>) => base.unsafe.log(...args.map((a) => (typeof a === "string" ? formatHelp(a, style) : a))) }
})

/** Runs `effect` with help printed in the style of this terminal. */
export const withHelpStyle = <A, E, R>(effect: Effect.Effect<A, E, R>, style: HelpStyle): Effect.Effect<A, E, R> =>
  Effect.consoleWith((base) => Effect.withConsole(effect, helpConsole(base, style)))
