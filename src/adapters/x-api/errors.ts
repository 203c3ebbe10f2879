/**
 * Typed failures of the X API client. Each message is one line a user can act on; none contains
 * the bearer token. `retryable` failures (429, 5xx, network, timeout) are retried by the client;
 * the others stop the run at once.
 */
import { Data } from "effect"

/** X_BEARER_TOKEN is not configured. */
export class XApiMissingToken extends Data.TaggedError("XApiMissingToken")<{ readonly variable: string }> {
  override get message(): string {
    return `${this.variable} is not set: the X API needs a bearer token (set ${this.variable} in the environment or .env)`
  }
}

/** 401: the token is wrong, revoked or malformed. */
export class XApiUnauthorized extends Data.TaggedError("XApiUnauthorized")<{
  readonly endpoint: string
  readonly detail?: string
}> {
  override get message(): string {
    return `X API rejected the bearer token (401) on ${this.endpoint}: check X_BEARER_TOKEN${this.detail ? ` (${this.detail})` : ""}`
  }
}

/** 403: the token is valid but its plan or app may not use this endpoint. */
export class XApiForbidden extends Data.TaggedError("XApiForbidden")<{
  readonly endpoint: string
  readonly detail?: string
}> {
  override get message(): string {
    return `X API refused access (403) to ${this.endpoint}${this.detail ? `: ${this.detail}` : ""} (does the app's access level include this endpoint?)`
  }
}

/** 400: X rejected a parameter. */
export class XApiBadRequest extends Data.TaggedError("XApiBadRequest")<{
  readonly endpoint: string
  readonly detail?: string
}> {
  override get message(): string {
    return `X API rejected the request (400) to ${this.endpoint}${this.detail ? `: ${this.detail}` : ""}`
  }
}

/** 404 (or another non-retryable 4xx): the resource or route does not exist. */
export class XApiNotFound extends Data.TaggedError("XApiNotFound")<{
  readonly endpoint: string
  readonly status: number
  readonly detail?: string
}> {
  override get message(): string {
    return `X API answered ${this.status} on ${this.endpoint}${this.detail ? `: ${this.detail}` : ""}`
  }
}

/** The account does not exist (X answers 200 with a resource-not-found problem). */
export class XApiUserNotFound extends Data.TaggedError("XApiUserNotFound")<{ readonly username: string }> {
  override get message(): string {
    return `X has no user @${this.username}`
  }
}

/** The account exists but X will not show it (suspended, protected, …). */
export class XApiUserUnavailable extends Data.TaggedError("XApiUserUnavailable")<{
  readonly username: string
  readonly detail: string
}> {
  override get message(): string {
    return `X cannot show user @${this.username}: ${this.detail}`
  }
}

/** 429. `resetAtMs` is the window reset announced by X, when it sent one. */
export class XApiRateLimited extends Data.TaggedError("XApiRateLimited")<{
  readonly endpoint: string
  readonly resetAtMs?: number
  readonly detail?: string
}> {
  override get message(): string {
    const reset = this.resetAtMs !== undefined ? `; the window resets at ${new Date(this.resetAtMs).toISOString()}` : ""
    return `X API rate limit exceeded (429) on ${this.endpoint}${reset}${this.detail ? ` (${this.detail})` : ""}`
  }
}

/** The known rate-limit window resets later than the client is willing to wait. */
export class XApiRateLimitWaitTooLong extends Data.TaggedError("XApiRateLimitWaitTooLong")<{
  readonly endpoint: string
  readonly resetAtMs: number
  readonly waitMs: number
  readonly maxWaitMs: number
}> {
  override get message(): string {
    return `X API rate limit on ${this.endpoint} is exhausted until ${new Date(this.resetAtMs).toISOString()} (${Math.ceil(this.waitMs / 1000)} s), longer than the ${Math.ceil(this.maxWaitMs / 1000)} s the client may wait; run again later`
  }
}

/** 5xx. */
export class XApiServerError extends Data.TaggedError("XApiServerError")<{
  readonly endpoint: string
  readonly status: number
  readonly detail?: string
}> {
  override get message(): string {
    return `X API server error ${this.status} on ${this.endpoint}${this.detail ? `: ${this.detail}` : ""}`
  }
}

/** The connection failed or the body could not be read. */
export class XApiTransportError extends Data.TaggedError("XApiTransportError")<{
  readonly endpoint: string
  readonly reason: string
}> {
  override get message(): string {
    return `X API ${this.endpoint} could not be reached: ${this.reason}`
  }
}

/** No complete response within the request timeout. */
export class XApiTimeout extends Data.TaggedError("XApiTimeout")<{
  readonly endpoint: string
  readonly timeoutMs: number
}> {
  override get message(): string {
    return `X API ${this.endpoint} did not answer within ${this.timeoutMs} ms`
  }
}

/** A 2xx body that is not JSON or lacks a required field; `issues` names the fields. */
export class XApiDecodeError extends Data.TaggedError("XApiDecodeError")<{
  readonly endpoint: string
  readonly issues: ReadonlyArray<string>
}> {
  override get message(): string {
    return `X API response of ${this.endpoint} did not match the expected shape: ${this.issues.join("; ")}`
  }
}

export type XApiError =
  | XApiMissingToken
  | XApiUnauthorized
  | XApiForbidden
  | XApiBadRequest
  | XApiNotFound
  | XApiUserNotFound
  | XApiUserUnavailable
  | XApiRateLimited
  | XApiRateLimitWaitTooLong
  | XApiServerError
  | XApiTransportError
  | XApiTimeout
  | XApiDecodeError

/** Failures worth another attempt: they depend on time or load, not on the request. */
export const isRetryable = (e: XApiError): boolean =>
  e._tag === "XApiRateLimited" ||
  e._tag === "XApiServerError" ||
  e._tag === "XApiTransportError" ||
  e._tag === "XApiTimeout"
