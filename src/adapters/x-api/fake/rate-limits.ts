/** Real (wall-clock) rate-limit windows per endpoint, and the headers X sends with them. */
import type { Endpoint } from "../endpoints"
import type { FakeXServerOptions, RateLimitSpec } from "./types"

export const makeRateLimits = (rateLimit: FakeXServerOptions["rateLimit"]) => {
  const specFor = (e: Endpoint): RateLimitSpec => {
    const r = rateLimit
    if (r && "limit" in r && typeof r.limit === "number") return r as RateLimitSpec
    return (r as Partial<Record<Endpoint, RateLimitSpec>> | undefined)?.[e] ?? { limit: 900, windowMs: 15 * 60_000 }
  }
  const windows = new Map<Endpoint, { remaining: number; resetSec: number }>()
  const windowFor = (e: Endpoint) => {
    const t = Date.now()
    let w = windows.get(e)
    if (!w || t >= w.resetSec * 1000) {
      w = { remaining: specFor(e).limit, resetSec: Math.ceil((t + specFor(e).windowMs) / 1000) }
      windows.set(e, w)
    }
    return w
  }
  const limitHeaders = (e: Endpoint, w: { remaining: number; resetSec: number }) => ({
    "x-rate-limit-limit": String(specFor(e).limit),
    "x-rate-limit-remaining": String(w.remaining),
    "x-rate-limit-reset": String(w.resetSec)
  })

  return { specFor, windowFor, limitHeaders }
}
