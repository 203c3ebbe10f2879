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
