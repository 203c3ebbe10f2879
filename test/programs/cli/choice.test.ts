/**
 * Fixed-list flags: a bad value is refused with a line that names the flag (exit 2), a listed one
 * passes, and help still lists the choices.
 */
import { Command, HelpDoc, ValidationError } from "@effect/cli"
import { Cause, Console, Exit, Option } from "effect"
import { describe, expect, it } from "vitest"
import { choiceOption } from "../../../src/programs/cli/choice"
import { exitCodeFor, primaryError } from "../../../src/programs/cli/cli-errors"
import { runCli } from "../../support/cli"

const cmd = Command.make("pick", { format: choiceOption("format", ["table", "csv", "json"]) }, ({ format }) => Console.log(`format=${format}`))
const cli = Command.run(cmd, { name: "pick", version: "0" })

describe("choiceOption", () => {
  it("accepts a listed value and refuses another with a line naming the flag (exit 2)", async () => {
    const good = await runCli(cli, ["--format", "csv"], {})
    expect(Exit.isSuccess(good.exit)).toBe(true)
    expect(good.stdout).toBe("format=csv")
    const bad = await runCli(cli, ["--format", "xml"], {})
    if (Exit.isSuccess(bad.exit)) throw new Error("expected a failure")
    const error = primaryError(bad.exit.cause)
    expect(ValidationError.isValidationError(error)).toBe(true)
    expect(exitCodeFor(error)).toBe(2)
    const text = HelpDoc.toAnsiText((error as ValidationError.ValidationError & { error: HelpDoc.HelpDoc }).error)
    expect(text.trim()).toBe('--format "xml" is not one of table, csv, json')
    expect(Option.isNone(Cause.dieOption(bad.exit.cause))).toBe(true)
  })

  it("help still shows the choices", async () => {
    const help = await runCli(cli, ["--help"], {})
    expect(help.stdout).toContain("--format table | csv | json")
  })
})
