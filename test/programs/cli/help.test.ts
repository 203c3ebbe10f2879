/**
 * Help as a person meets it: the pure formatting pass, and the compiled CLI's `--help` through a pipe
 * (no colour, every line within 100 columns, the real program name, a subcommand without its parent's
 * options). With a pseudo-terminal-like style the colour stays.
 */
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"
import { asksForHelp, commandPath, formatHelp } from "../../../src/programs/cli/help"

const run = promisify(execFile)
const ESC = "\x1b"

describe("formatHelp", () => {
  const style = { program: "musktracker", colour: false, width: 100 }

  it("names the program in usage lines, strips colour when not wanted, keeps it when wanted", () => {
    const text = `${ESC}[0;1mUSAGE${ESC}[0m\n\n$ train [--model] [--paths]`
    expect(formatHelp(text, style)).toBe("USAGE\n\n$ musktracker train [--model] [--paths]")
    expect(formatHelp(text, { ...style, colour: true })).toContain(`${ESC}[0;1mUSAGE`)
    expect(formatHelp("$ musktracker --help", style)).toBe("$ musktracker --help")
    expect(formatHelp("$ reproduce <ID>", { ...style, parents: ["forecast"] })).toBe("$ musktracker forecast reproduce <ID>")
    expect(commandPath(["node", "musktracker", "forecast", "reproduce", "--help"])).toEqual(["forecast", "reproduce"])
    expect(commandPath(["node", "musktracker", "train", "--model", "x", "--help"])).toEqual(["train"])
  })

  it("wraps long lines at word boundaries within the width, indenting continuations", () => {
    const long = `$ train ${Array.from({ length: 30 }, (_, i) => `[--option-${i}]`).join(" ")}`
    const lines = formatHelp(long, style).split("\n")
    expect(lines.length).toBeGreaterThan(1)
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100)
    expect(lines.slice(1).every((l) => l.startsWith("    [--option-"))).toBe(true)
    expect(lines.join(" ").replace(/\s+/g, " ")).toBe(`$ musktracker ${long.slice(2)}`)
  })

  it("lists a command over its description, a nested command without its parent's options, and drops type boilerplate", () => {
    const text = [
      "  - forecast [--model text] [--paths integer]       Issue a forecast.",
      "  - forecast [--model text] [--paths integer] reproduce <ID>  Recompute a forecast from the log.",
      "--paths integer",
      "",
      "  An integer.",
      "",
      "  number of paths (default 2000)",
      "",
      "  This setting is optional."
    ].join("\n")
    expect(formatHelp(text, style)).toBe(
      [
        "  - forecast [--model text] [--paths integer]",
        "      Issue a forecast.",
        "  - forecast reproduce <ID>",
        "      Recompute a forecast from the log.",
        "--paths integer",
        "",
        "  number of paths (default 2000)",
        ""
      ].join("\n")
    )
  })

  it("shows a repeatable option (zero or more) in brackets", () => {
    expect(formatHelp("$ features show --from --to --columns... [--as-of]", style)).toBe("$ musktracker features show --from --to [--columns...] [--as-of]")
    expect(formatHelp("  - enrich add-event --name text --tag text...  Record an event.", style).split("\n")[0]).toBe("  - enrich add-event --name text [--tag text...]")
  })

  it("knows when help is asked for", () => {
    expect(asksForHelp(["node", "musktracker"])).toBe(true)
    expect(asksForHelp(["node", "musktracker", "train", "--help"])).toBe(true)
    expect(asksForHelp(["node", "musktracker", "forecast", "-h"])).toBe(true)
    expect(asksForHelp(["node", "musktracker", "status"])).toBe(false)
  })
})

describe("musktracker --help through a pipe", () => {
  const help = async (...args: string[]) =>
    (await run(process.execPath, ["bin/musktracker.js", ...args, "--help"], { env: { ...process.env, NO_COLOR: "" }, cwd: process.cwd() })).stdout

  it.each([[[]], [["train"]], [["forecast"]], [["forecast", "reproduce"]], [["enrich", "add-event"]]])("%j: no colour, <= 100 columns, the real name", async (args) => {
    const out = await help(...args)
    expect(out).not.toContain(ESC)
    const widest = Math.max(...out.split("\n").map((l) => l.length))
    expect(widest).toBeLessThanOrEqual(100)
    expect(out).toMatch(new RegExp(`^\\$ musktracker ${args.join(" ")}`.trimEnd(), "m"))
    expect(out).not.toMatch(/This setting is optional|An integer\./)
  })

  it("the root lists forecast's subcommands without forecast's options", async () => {
    const out = await help()
    expect(out).toMatch(/^ {2}- forecast reproduce <ID>$/m)
    expect(out).toMatch(/^ {2}- train \[--account text\] \[--model/m)
  })
})
