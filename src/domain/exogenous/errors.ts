/** Why the exogenous decider rejected a command: each a typed error with a one-line message. */
import { Data } from "effect"

/** A field of the command is malformed or breaks a rule. */
export class InvalidExogenousInput extends Data.TaggedError("InvalidExogenousInput")<{
  readonly field: string
  readonly reason: string
}> {
  override get message(): string {
    return `invalid ${this.field}: ${this.reason}`
  }
}

export class ExogenousEventNotFound extends Data.TaggedError("ExogenousEventNotFound")<{
  readonly eventId: string
}> {
  override get message(): string {
    return `no exogenous event ${this.eventId}`
  }
}

export class ExogenousEventExists extends Data.TaggedError("ExogenousEventExists")<{
  readonly eventId: string
  readonly name: string
}> {
  override get message(): string {
    return `exogenous event ${this.eventId} ("${this.name}") already exists; use enrich revise to change it`
  }
}

export class ExogenousEventIsRetracted extends Data.TaggedError("ExogenousEventIsRetracted")<{
  readonly eventId: string
}> {
  override get message(): string {
    return `exogenous event ${this.eventId} is retracted and cannot be changed`
  }
}

export type ExogenousRejection = InvalidExogenousInput | ExogenousEventNotFound | ExogenousEventExists | ExogenousEventIsRetracted
