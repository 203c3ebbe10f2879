/**
 * How far back a timeline run reached, and what it could not reach.
 *
 * X's user timeline (GET /2/users/:id/tweets) serves only an account's 3,200 most recent posts,
 * whatever `start_time` asks for. Posts after a start instant are exactly the account's most recent
 * ones, so if the run got fewer than 3,200 and the timeline ran out of pages, it saw every post since
 * the start. If it got (about) 3,200, older posts may exist that the timeline will never serve: the
 * gap [requested start, oldest post reached) must come from elsewhere. Recent search
 * (`from:ACCOUNT`) covers the part of the gap inside the last 7 days; anything older needs `import`.
 *
 * X may count deleted or withheld posts against the cap and not return them, so a run within
 * `capSlack` posts of the cap is treated as capped: claiming a gap that is not there costs one
 * search or import, claiming completeness wrongly would lose posts silently.
 */
import { DAY_MS, toIsoUtc } from "../time"

export const TIMELINE_CAP = 3200
export const DEFAULT_CAP_SLACK = 100
/** Recent search and counts reach back 7 days. */
export const SEARCH_RECENT_REACH_MS = 7 * DAY_MS
/** Kept clear of the 7-day edge, which X checks against its own clock. */
export const SEARCH_RECENT_EDGE_MARGIN_MS = 5 * 60_000

export interface TimelineRun {
  /** Start (epoch ms) of the window the run asked for: now − N days, or the cursor post's creation. */
  readonly requestedStartMs: number
  /** Creation (epoch ms) of the oldest post the timeline returned; undefined when it returned none. */
  readonly oldestReachedMs: number | undefined
  /** Posts the timeline returned for the window. */
  readonly postsReached: number
  /** True when the last page had no next_token (the timeline had nothing more to give). */
  readonly exhausted: boolean
  readonly nowMs: number
  readonly cap?: number
  readonly capSlack?: number
}

export interface TimeRange {
  readonly startMs: number
  readonly endMs: number
}

export type TimelineReach =
  /** Every post since the requested start was served. */
  | { readonly _tag: "Complete"; readonly reachedBackToMs: number }
  /** The run ended before the last page (interrupted or limited); the next run resumes from its cursor. */
  | { readonly _tag: "Stopped"; readonly reachedBackToMs: number | undefined }
  /** The 3,200 cap stopped the timeline at `reachedBackToMs`; `gap` was not served. */
  | {
      readonly _tag: "Capped"
      readonly reachedBackToMs: number
      readonly gap: TimeRange
      /** The part of the gap recent search can still serve (within the last 7 days). */
      readonly searchable: TimeRange | undefined
      /** The part of the gap only an archive `import` can fill. */
      readonly needsImport: TimeRange | undefined
    }

export const backfillStartMs = (nowMs: number, days: number): number => nowMs - days * DAY_MS

/** The earliest `start_time` the user timeline accepts ("Must be on or after 2010-11-06", X's OpenAPI). */
export const TIMELINE_EARLIEST_START_MS = Date.UTC(2010, 10, 6)

/** The longest backfill whose start X's user timeline accepts at `nowMs`. */
export const maxBackfillDays = (nowMs: number): number => Math.floor((nowMs - TIMELINE_EARLIEST_START_MS) / DAY_MS)

export const timelineReach = (run: TimelineRun): TimelineReach => {
  if (!run.exhausted) return { _tag: "Stopped", reachedBackToMs: run.oldestReachedMs }
  const cap = run.cap ?? TIMELINE_CAP
  const slack = run.capSlack ?? DEFAULT_CAP_SLACK
  const capped =
    run.oldestReachedMs !== undefined && run.postsReached >= Math.max(1, cap - slack) && run.oldestReachedMs > run.requestedStartMs
  if (!capped) return { _tag: "Complete", reachedBackToMs: run.requestedStartMs }
  const reached = run.oldestReachedMs!
  const gap = { startMs: run.requestedStartMs, endMs: reached }
  const searchFrom = Math.max(gap.startMs, run.nowMs - SEARCH_RECENT_REACH_MS + SEARCH_RECENT_EDGE_MARGIN_MS)
  const searchable = searchFrom < gap.endMs ? { startMs: searchFrom, endMs: gap.endMs } : undefined
  const importEnd = searchable ? searchable.startMs : gap.endMs
  const needsImport = gap.startMs < importEnd ? { startMs: gap.startMs, endMs: importEnd } : undefined
  return { _tag: "Capped", reachedBackToMs: reached, gap, searchable, needsImport }
}

/** One or two sentences for the user, saying exactly how far back the run reached. */
export const describeReach = (reach: TimelineReach, requestedStartMs: number, cap: number = TIMELINE_CAP): string => {
  const asked = toIsoUtc(requestedStartMs)
  switch (reach._tag) {
    case "Complete":
      return `Reached back to ${asked}: the timeline served every post since then.`
    case "Stopped":
      return reach.reachedBackToMs === undefined
        ? `Stopped before any post was reached (asked back to ${asked}); the next run resumes.`
        : `Stopped at ${toIsoUtc(reach.reachedBackToMs)} (asked back to ${asked}); the next run resumes.`
    case "Capped": {
      const parts = [
        `X's user timeline reaches only the ${cap.toLocaleString("en-US")} most recent posts: this run reached back to ${toIsoUtc(reach.reachedBackToMs)}, not ${asked}.`
      ]
      if (reach.searchable) {
        parts.push(`Recent search covers ${toIsoUtc(reach.searchable.startMs)} .. ${toIsoUtc(reach.searchable.endMs)}.`)
      }
      if (reach.needsImport) {
        parts.push(
          `Posts from ${toIsoUtc(reach.needsImport.startMs)} to ${toIsoUtc(reach.needsImport.endMs)} need an archive: run \`musktracker import FILE\`.`
        )
      }
      return parts.join(" ")
    }
  }
}
