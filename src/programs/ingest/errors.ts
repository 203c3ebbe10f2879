/** Failures of `musktracker ingest` beyond those of the X client and the store; one line each. */
import { Data } from "effect"

/** Another ingest run of the same account appended to its stream meanwhile. */
export class IngestConcurrentRun extends Data.TaggedError("IngestConcurrentRun")<{
  readonly account: string
  readonly stream: string
}> {
  override get message(): string {
    return `another ingest run of @${this.account} wrote to ${this.stream} while this one ran; this run stopped (what it appended is kept): run ingest again once the other has finished`
  }
}

/** `ingest verify` found hours where the read model and X's counts differ (exit 1, for scripts). */
export class IngestVerifyMismatch extends Data.TaggedError("IngestVerifyMismatch")<{
  readonly account: string
  readonly differing: number
  readonly hours: number
}> {
  override get message(): string {
    return `${this.differing} of ${this.hours} hours differ between the read model and X's counts for @${this.account} (listed above); run \`musktracker ingest\` to fetch what is missing`
  }
}

/** The handle now names another X user than the one recorded for it (renamed or re-registered). */
export class AccountUserChanged extends Data.TaggedError("AccountUserChanged")<{
  readonly account: string
  readonly recordedUserId: string
  readonly userId: string
}> {
  override get message(): string {
    return (
      `@${this.account} was resolved to X user ${this.recordedUserId}, but X now says it is user ${this.userId} (renamed or re-registered); ` +
      `nothing was ingested: its counts would mix two people's posts. Track the new user under another --account name, or start a new store`
    )
  }
}

/** `ingest --account a,b,c`: some accounts could not be ingested (each named on stderr); the others were. */
export class IngestAccountsFailed extends Data.TaggedError("IngestAccountsFailed")<{
  readonly failed: ReadonlyArray<string>
  readonly of: number
}> {
  override get message(): string {
    return `${this.failed.length} of ${this.of} accounts not ingested (${this.failed.map((a) => `@${a}`).join(", ")}; reasons above); the others were ingested`
  }
}
