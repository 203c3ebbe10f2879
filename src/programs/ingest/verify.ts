/**
 * `ingest verify`: the hourly counts of the read model against X's own counts
 * (GET /2/tweets/counts/recent, `from:ACCOUNT`, granularity hour), hour by hour.
 *
 * Only whole UTC hours are compared: from the first whole hour inside X's 7-day reach (or `days`
 * back) to the start of the current hour (which is still filling). X's counts cover every post of
 * the account, all kinds; the read model's hourly counts (queries/counts.ts, all kinds) cover every
 * post in the store — MuskTracker tracks one account, so these are the same set.
 */
import { Effect } from "effect"
import { fromAccountQuery, XApiClient } from "../../adapters/x-api/client"
import { normalizeAccount } from "../../domain/accounts/account"
import { SEARCH_RECENT_EDGE_MARGIN_MS, SEARCH_RECENT_REACH_MS } from "../../domain/ingestion/reach"
import { DAY_MS, HOUR_MS, hourFloor, parseInstant } from "../../domain/time"
import { hourlyCounts } from "../../projections/queries/counts"

/** X rejects an `end_time` less than 10 s before its clock: keep clear of it. */
const END_MARGIN_MS = 30_000

export interface HourDifference {
  readonly hourStart: number
  readonly store: number
  /** X's count; undefined when X returned no bucket for the hour. */
  readonly x: number | undefined
}

export interface VerifyReport {
  readonly account: string
  readonly fromMs: number
  readonly toMs: number
  readonly hours: number
  readonly storeTotal: number
  readonly xTotal: number
  readonly differences: ReadonlyArray<HourDifference>
}

/** The whole hours [from, to) `ingest verify --days N` compares at `nowMs`. */
export const verifyWindow = (nowMs: number, days: number): { readonly fromMs: number; readonly toMs: number } => {
  const toMs = hourFloor(nowMs - END_MARGIN_MS)
  const earliest = nowMs - SEARCH_RECENT_REACH_MS + SEARCH_RECENT_EDGE_MARGIN_MS
  const firstWhole = Math.ceil(earliest / HOUR_MS) * HOUR_MS
  return { fromMs: Math.max(firstWhole, toMs - days * DAY_MS), toMs }
}

/** X's counts for the window (fetched first), then the read model's; the caller catches up projections between. */
export const fetchXCounts = (account: string, window: { readonly fromMs: number; readonly toMs: number }) =>
  Effect.gen(function* () {
    const client = yield* XApiClient
    const result = yield* client.countsRecent(fromAccountQuery(normalizeAccount(account)), {
      startTime: window.fromMs,
      endTime: window.toMs,
      granularity: "hour"
    })
    const byHour = new Map<number, number>()
    for (const b of result.buckets) {
      const start = parseInstant(b.start)
      const end = parseInstant(b.end)
      // Only whole, aligned hours can be compared with hourly buckets.
      if (start === undefined || end === undefined || start % HOUR_MS !== 0 || end - start !== HOUR_MS) continue
      byHour.set(start, (byHour.get(start) ?? 0) + b.count)
    }
    return byHour
  })

export const compareCounts = (account: string, window: { readonly fromMs: number; readonly toMs: number }, xByHour: ReadonlyMap<number, number>) =>
  Effect.gen(function* () {
    const local = yield* hourlyCounts({ account: normalizeAccount(account), from: window.fromMs, to: window.toMs })
    const differences: HourDifference[] = []
    let storeTotal = 0
    let xTotal = 0
    for (const b of local) {
      const x = xByHour.get(b.bucketStart)
      storeTotal += b.count
      xTotal += x ?? 0
      if (x !== b.count) differences.push({ hourStart: b.bucketStart, store: b.count, x })
    }
    return {
      account: normalizeAccount(account),
      fromMs: window.fromMs,
      toMs: window.toMs,
      hours: local.length,
      storeTotal,
      xTotal,
      differences
    } satisfies VerifyReport
  })
