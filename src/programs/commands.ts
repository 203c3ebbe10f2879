/** Every top-level command, in the order `--help` lists them. */
import { Command } from "@effect/cli"
import { Console } from "effect"

const placeholder = Command.make("version", {}, () => Console.log("musktracker"))

export const subcommands = [placeholder] as const
