/** Faults queued by a test for the next requests (per endpoint or any), consumed as requests arrive. */
import type { Endpoint } from "../endpoints"
import type { FaultInjector } from "./types"
import { PROBLEM } from "./routes"

export type Fault =
  | { readonly kind: "rate-limit"; readonly resetInSeconds: number; readonly headers: boolean }
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "echo"; readonly status: number }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "reset" }
  | { readonly kind: "not-json" }
  | { readonly kind: "drop-field"; readonly field: string | undefined }
  | { readonly kind: "partial-errors"; readonly errors: ReadonlyArray<unknown> }

interface QueuedFault {
  readonly fault: Fault
  readonly endpoint: Endpoint | undefined
  remaining: number
}

export const makeFaults = () => {
  const faults: QueuedFault[] = []
  const takeFault = (e: Endpoint | undefined, phase: "before" | "after"): Fault | undefined => {
    const i = faults.findIndex(
      (f) =>
        (f.endpoint === undefined || f.endpoint === e) && (phase === "after") === ["not-json", "drop-field", "partial-errors"].includes(f.fault.kind)
    )
    if (i < 0) return undefined
    const q = faults[i]!
    if (--q.remaining <= 0) faults.splice(i, 1)
    return q.fault
  }
  const queue = (fault: Fault, n: number, endpoint: Endpoint | undefined) => {
    if (n > 0) faults.push({ fault, endpoint, remaining: n })
  }
  const inject: FaultInjector = {
    rateLimited: (n = 1, o = {}) => queue({ kind: "rate-limit", resetInSeconds: o.resetInSeconds ?? 1, headers: o.headers ?? true }, n, o.endpoint),
    serverError: (n = 1, o = {}) => queue({ kind: "status", status: o.status ?? 503 }, n, o.endpoint),
    echoHeaders: (n = 1, o = {}) => queue({ kind: "echo", status: o.status ?? 500 }, n, o.endpoint),
    slow: (n, delayMs, o = {}) => queue({ kind: "delay", ms: delayMs }, n, o.endpoint),
    connectionReset: (n = 1, o = {}) => queue({ kind: "reset" }, n, o.endpoint),
    missingField: (n = 1, o = {}) => queue({ kind: "drop-field", field: o.field }, n, o.endpoint),
    notJson: (n = 1, o = {}) => queue({ kind: "not-json" }, n, o.endpoint),
    partialErrors: (n = 1, o = {}) =>
      queue(
        {
          kind: "partial-errors",
          errors: o.errors ?? [
            {
              value: "1",
              detail: "Could not find tweet with referenced_tweets.id: [1].",
              title: "Not Found Error",
              resource_type: "tweet",
              parameter: "referenced_tweets.id",
              resource_id: "1",
              type: `${PROBLEM}/resource-not-found`
            }
          ]
        },
        n,
        o.endpoint
      ),
    clear: () => void faults.splice(0, faults.length),
    pending: () => faults.reduce((s, f) => s + f.remaining, 0)
  }

  return { inject, take: takeFault }
}
