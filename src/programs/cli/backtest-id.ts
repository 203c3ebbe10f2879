/** A backtest id as the user typed it (an argument or `--backtest`): the canonical lower-case UUID, or a usage error (exit 2). */
import { Effect } from "effect"
import { UUID_PATTERN } from "../../domain/uuid"
import { UsageError } from "./usage-error"

export const parseBacktestId = (id: string, flag?: string): Effect.Effect<string, UsageError> => {
  const backtestId = id.trim().toLowerCase()
  return UUID_PATTERN.test(backtestId)
    ? Effect.succeed(backtestId)
    : Effect.fail(new UsageError({ message: `${flag === undefined ? "" : `${flag} `}"${id}" is not a backtest id (a UUID, as \`musktracker backtest list\` shows)` }))
}
