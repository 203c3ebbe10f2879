/** Typed failures of the projector runtime. Each names the projection and where in the log it stopped. */
import { Data } from "effect"

/** A handler threw, or asked for a write its tables cannot take, on one event. */
export class ProjectionHandlerError extends Data.TaggedError("ProjectionHandlerError")<{
  readonly projection: string
  readonly stream: string
  readonly revision: number
  readonly position: bigint
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `projection ${this.projection} failed on event ${this.stream}@${this.revision} (position ${this.position}): ${this.reason}`
  }
}

/** Writing a batch failed; the transaction was rolled back, so neither rows nor checkpoints moved. */
export class ProjectionWriteError extends Data.TaggedError("ProjectionWriteError")<{
  readonly projections: ReadonlyArray<string>
  /** The batch covered positions (after, through]. */
  readonly after: bigint
  readonly through: bigint
  readonly target: string
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `projection ${this.projections.join(", ")}: batch (${this.after}, ${this.through}] not applied (rolled back) on ${this.target}: ${this.reason}`
  }
}

/** Another projector kept moving the checkpoint under this one (after retries). */
export class ProjectionConflict extends Data.TaggedError("ProjectionConflict")<{
  readonly projection: string
  readonly reason: string
}> {
  override get message(): string {
    return `projection ${this.projection}: ${this.reason}`
  }
}

/** A read-model table is missing or unusable, or the database failed outside a batch. */
export class ProjectionSetupError extends Data.TaggedError("ProjectionSetupError")<{
  readonly target: string
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `projections on ${this.target}: ${this.reason}`
  }
}
