/**
 * How a failed command ends: one clear line on stderr and an exit code.
 * Usage errors (unknown command or flag, bad option value) exit 2; everything else exits 1.
 */
import { ValidationError } from "@effect/cli"
import { Cause, Option } from "effect"

/** Errors that are the user's wrong input (exit 2) rather than a failure (exit 1). */
export interface UsageErrorLike {
  readonly _tag: "UsageError"
  readonly message: string
}

/** Errors that mean "the command line is wrong" (exit 2), whichever layer found them. */
const USAGE_TAGS: ReadonlySet<string> = new Set(["UsageError", "InvalidExogenousInput"])

export const exitCodeFor = (error: unknown): number => {
  if (ValidationError.isValidationError(error)) return 2
  const tag = typeof error === "object" && error !== null ? (error as { _tag?: unknown })._tag : undefined
  if (typeof tag === "string" && USAGE_TAGS.has(tag)) return 2
  return 1
}

/** One line describing the error: its message, never a stack. */
export const errorLine = (error: unknown): string => {
  if (typeof error === "object" && error !== null) {
    const e = error as { message?: unknown; _tag?: unknown }
    if (typeof e.message === "string" && e.message.length > 0) return e.message.split("\n")[0]!
    if (typeof e._tag === "string") return e._tag
  }
  return String(error)
}

/** The first failure of a cause, or the defect if it died. */
export const primaryError = <E>(cause: Cause.Cause<E>): unknown =>
  Option.getOrElse(Cause.failureOption(cause), () => Option.getOrElse(Cause.dieOption(cause), () => Cause.pretty(cause)))
