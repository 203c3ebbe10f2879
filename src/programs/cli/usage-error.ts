import { Data } from "effect"

/** The user's input is wrong (a malformed value, an unknown name): exit 2 with this one line. */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}
