/**
 * `--name VALUE` from a fixed list. @effect/cli's Options.choice refuses a bad value with "Expected one
 * of the following cases: ..." and no flag name; this one says `--format "xml" is not one of table,
 * csv, json` (exit 2 like every usage error), and help still shows the choices (`--format table | csv | json`).
 */
import { HelpDoc, Options, ValidationError } from "@effect/cli"
import { Effect } from "effect"

export const choiceOption = <const A extends string>(name: string, choices: ReadonlyArray<A>): Options.Options<A> =>
  Options.text(name).pipe(
    Options.withPseudoName(choices.join(" | ")),
    Options.mapEffect((value) =>
      (choices as ReadonlyArray<string>).includes(value)
        ? Effect.succeed(value as A)
        : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--${name} "${value}" is not one of ${choices.join(", ")}`)))
    )
  )
