/**
 * One ingest run: look the account up, plan the request (plan.ts), then for each page X serves,
 * append its posts as `TweetObserved` (deterministic ids, expected "no stream", conflicts skipped: a
 * post already in the log is a no-op) and THEN the page's `IngestionPageFetched`; at the end the
 * `IngestionRunCompleted` with the new cursor and how far back the run reached.
 *
 * Why this survives being killed anywhere: every append is idempotent and the cursor moves only with
 * a completed run. A run stopped after page k leaves pages 1..k in the log and no completion; the
 * next run starts from the previous completed cursor (or the same backfill window), fetches pages
 * 1..k again (their posts are already there: nothing is appended twice) and then the pages the
 * stopped run never reached. Nothing is lost, nothing is duplicated.
 *
 * The 3,200 cap: when the user timeline stops at its cap before the requested start, the part of the
 * gap within the last 7 days is read with recent search (`from:ACCOUNT`), and the rest is reported as
 * needing `musktracker import`.
 */
import { Cause, Effect, Exit, Either, Stream } from "effect"
import { randomUUID } from "node:crypto"
import { codeVersion } from "../../adapters/code-version"
import { redactSecrets } from "../../adapters/redact"
import { fromAccountQuery, type TweetPage, XApiClient } from "../../adapters/x-api/client"
import type { XProblem, XUser } from "../../adapters/x-api/schemas"
import { ExpectedRevision, type NewEvent } from "../../domain/events/envelope"
import {
  type IngestionProblem,
  type IngestionReach,
  IngestionPageFetched,
  IngestionRunCompleted,
  IngestionRunFailed,
  IngestionRunStarted,
  ingestionStream
} from "../../domain/events/ingestion"
import { TweetObserved } from "../../domain/events/tweet"
import { observedFromApi } from "../../domain/ingestion/observe"
import { normalizeAccount } from "../../domain/accounts/account"
import { describeReach, TIMELINE_CAP, timelineReach } from "../../domain/ingestion/reach"
import { nextCursor } from "../../domain/ingestion/tweet-id"
import { EventStore } from "../../domain/ports/event-store"
import { HOUR_MS, parseInstant, toIsoUtc } from "../../domain/time"
import { errorLine } from "../cli/cli-errors"
import { recordResolution } from "./resolve"
import { IngestConcurrentRun } from "./errors"
import { planRun, type RunPlan } from "./plan"
import { readIngestionState } from "./state"
import { progressReporter } from "../cli/progress"

export interface IngestOptions {
  /** Account name (a leading @ and case are ignored). */
  readonly account: string
  /** Backfill the last N days; undefined: incremental from the last completed run. */
  readonly backfillDays?: number
  /** Backfill of a first run (default 7 days). */
  readonly defaultBackfillDays?: number
  /** Clock, epoch ms (default Date.now). */
  readonly now?: () => number
  /** Posts the user timeline reaches (default 3,200; tests shrink it with the fake server's). */
  readonly timelineCap?: number
  /** A run within this many posts of the cap counts as capped (default 100, see reach.ts). */
  readonly capSlack?: number
}

export interface IngestSummary {
  readonly runId: string
  readonly account: string
  readonly userId: string
  readonly plan: RunPlan
  readonly pages: number
  readonly timelinePages: number
  readonly searchPages: number
  /** Distinct posts served. */
  readonly tweetsSeen: number
  /** Posts new to the log. */
  readonly tweetsAppended: number
  readonly partialErrors: number
  readonly cursor: string | undefined
  readonly reach: IngestionReach
}

const toProblem = (p: XProblem): IngestionProblem => {
  const head = p.title ?? (p.code !== undefined ? `code ${p.code}` : "error")
  const body = p.detail ?? p.message
  return {
    summary: body ? `${head}: ${body}` : head,
    ...(p.type !== undefined ? { type: p.type } : {}),
    ...(p.resource_type !== undefined ? { resourceType: p.resource_type } : {}),
    ...(p.resource_id !== undefined ? { resourceId: p.resource_id } : {}),
    ...(p.parameter !== undefined ? { parameter: p.parameter } : {})
  }
}

/** The account on X; fails (XApiMissingToken, XApiUnauthorized, XApiUserNotFound, …) before anything is written. */
export const lookupAccount = (account: string) => Effect.flatMap(XApiClient, (client) => client.lookupUser(normalizeAccount(account)))

/** A run for an account already looked up (the command looks it up before it opens the store). */
export const ingestAccount = (user: XUser, options: IngestOptions) =>
  Effect.gen(function* () {
    const client = yield* XApiClient
    const store = yield* EventStore
    const now = options.now ?? Date.now
    const cap = options.timelineCap ?? TIMELINE_CAP
    const account = normalizeAccount(options.account)
    // The user the handle names, recorded once (AccountResolved); a handle now naming another user stops here.
    yield* recordResolution(account, user, now())
    const stream = ingestionStream(account)
    const state = yield* readIngestionState(account)
    const plan = planRun({ nowMs: now(), backfillDays: options.backfillDays, last: state.lastCompleted, defaultBackfillDays: options.defaultBackfillDays })
    const runId = randomUUID()
    const context = { codeVersion: codeVersion(), correlationId: runId }

    // Every append to the run's stream expects the revision the previous one left: a concurrent run of
    // the same account makes this one stop instead of interleaving with it.
    let revision = state.revision
    const appendRun = (event: NewEvent) =>
      store.append(stream, [event], revision === undefined ? ExpectedRevision.noStream : ExpectedRevision.exact(revision)).pipe(
        Effect.tap((r) =>
          Effect.sync(() => {
            revision = r.nextRevision
          })
        ),
        Effect.catchTag("WrongExpectedRevision", () => Effect.fail(new IngestConcurrentRun({ account, stream })))
      )

    // A run left open by a crash is closed first, as interrupted, so no run stays "started" forever.
    if (state.openRun !== undefined)
      yield* appendRun(
        IngestionRunFailed.encode(
          {
            runId: state.openRun.runId,
            account,
            outcome: "interrupted",
            reason: `no completion was recorded (the process stopped); closed by run ${runId}`,
            ...(state.lastCompleted?.cursor !== undefined ? { lastCursor: state.lastCompleted.cursor } : {}),
            failedAt: toIsoUtc(now()),
            closedBy: runId
          },
          context
        )
      )

    yield* appendRun(
      IngestionRunStarted.encode(
        {
          runId,
          account,
          userId: user.id,
          mode: plan.mode,
          ...(plan.sinceId !== undefined ? { sinceId: plan.sinceId } : {}),
          ...(plan.startMs !== undefined ? { startTime: toIsoUtc(plan.startMs) } : {}),
          ...(plan.backfillDays !== undefined ? { backfillDays: plan.backfillDays } : {}),
          startedAt: toIsoUtc(now())
        },
        context
      )
    )
    // Every way this run can end without completing is recorded: a failure with its reason, a signal as
    // an interruption. The cursor stays where the last completed run left it.
    const closeRun = (outcome: "failed" | "interrupted", reason: string) =>
      Effect.gen(function* () {
        // Only a run still open is closed (a stop right after its completion was written leaves it completed).
        const latest = yield* readIngestionState(account)
        if (latest.openRun?.runId !== runId) return
        const failed = IngestionRunFailed.encode(
          {
            runId,
            account,
            outcome,
            reason: redactSecrets(reason),
            ...(state.lastCompleted?.cursor !== undefined ? { lastCursor: state.lastCompleted.cursor } : {}),
            failedAt: toIsoUtc(now())
          },
          context
        )
        yield* store.append(stream, [failed], latest.revision === undefined ? ExpectedRevision.noStream : ExpectedRevision.exact(latest.revision))
      }).pipe(Effect.ignore)
    return yield* Effect.gen(function* () {
      yield* Effect.logInfo(`ingest @${account} run ${runId}: ${plan.reason}`)

      const seen = new Set<string>()
      let pages = 0
      let appended = 0
      let partialErrors = 0

      /** Appends one page's posts, then its page event. Returns the ids and creation instants of its posts. */
      const ingestPage = (page: TweetPage) =>
        Effect.gen(function* () {
          const observedAtMs = now()
          const byId = new Map(page.tweets.map((t) => [t.id, t]))
          const appends = []
          const created: number[] = []
          for (const tweet of byId.values()) {
            const observed = observedFromApi(tweet, { account, observedAtMs })
            if (Either.isLeft(observed)) return yield* observed.left
            created.push(parseInstant(observed.right.createdAt)!)
            const { stream: tweetStream, event } = TweetObserved.toAppend(observed.right, context)
            appends.push({ stream: tweetStream, events: [event], expected: ExpectedRevision.noStream })
          }
          // A post already in the log (an earlier run, an overlapping window, an import) is skipped, not an error.
          const { results } = yield* store.appendMany(appends, { skipConflicts: true })
          const fresh = results.filter((r) => "written" in r && r.written).length
          pages += 1
          yield* appendRun(
            IngestionPageFetched.encode(
              {
                runId,
                account,
                page: pages,
                endpoint: page.endpoint,
                resultCount: page.resultCount,
                ...(page.newestId !== undefined ? { newestId: page.newestId } : {}),
                ...(page.oldestId !== undefined ? { oldestId: page.oldestId } : {}),
                ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
                appended: fresh,
                partialErrors: page.errors.map(toProblem)
              },
              context
            )
          )
          appended += fresh
          partialErrors += page.errors.length
          for (const id of byId.keys()) seen.add(id)
          yield* Effect.logInfo(`page ${pages} (${page.endpoint}): ${byId.size} posts, ${fresh} new`)
          return { ids: [...byId.keys()], created }
        })

      // 1. The user timeline, newest page first, to its end (the stream ends at the page with no next_token).
      const timelineIds = new Set<string>()
      let oldestReachedMs: number | undefined
      // Progress: pages come newest first, so the hours walked back from now out of the hours requested.
      const startedMs = now()
      const requestedHours = Math.max(1, Math.ceil((startedMs - plan.requestedStartMs) / HOUR_MS))
      const progress = yield* progressReporter(`ingest @${account} (hours back to ${toIsoUtc(plan.requestedStartMs)})`, requestedHours)
      yield* client.userTweetsPages(user.id, { sinceId: plan.sinceId, startTime: plan.startMs }).pipe(
        Stream.runForEach((page) =>
          Effect.map(ingestPage(page), ({ ids, created }) => {
            for (const id of ids) timelineIds.add(id)
            for (const ms of created) if (oldestReachedMs === undefined || ms < oldestReachedMs) oldestReachedMs = ms
            if (oldestReachedMs !== undefined) progress.update(Math.min(requestedHours, Math.max(0, Math.floor((startedMs - oldestReachedMs) / HOUR_MS))))
          })
        ),
        Effect.tap(() => Effect.sync(() => progress.update(requestedHours))),
        Effect.ensuring(Effect.sync(() => progress.stop()))
      )
      const timelinePages = pages

      // 2. How far back it reached; recent search for the part of a capped gap within the last 7 days.
      const reach = timelineReach({
        requestedStartMs: plan.requestedStartMs,
        oldestReachedMs,
        postsReached: timelineIds.size,
        exhausted: true,
        nowMs: now(),
        cap,
        ...(options.capSlack !== undefined ? { capSlack: options.capSlack } : {})
      })
      let summary: IngestionReach
      if (reach._tag === "Capped") {
        let searched: { start: string; end: string; posts: number } | undefined
        let needsImport = reach.needsImport
        const sentences = [describeReach(reach, plan.requestedStartMs, cap)]
        if (reach.searchable) {
          const span = reach.searchable
          const searchIds = new Set<string>()
          const outcome = yield* client
            .searchRecentPages(fromAccountQuery(account), { startTime: span.startMs, endTime: span.endMs })
            .pipe(
              Stream.runForEach((page) => Effect.map(ingestPage(page), ({ ids }) => ids.forEach((id) => searchIds.add(id)))),
              Effect.as(true),
              // An app whose access level lacks recent search still completes: that span then needs an archive too.
              Effect.catchTag("XApiForbidden", (e) => Effect.as(Effect.logWarning(`recent search unavailable: ${e.message}`), false))
            )
          if (outcome) {
            searched = { start: toIsoUtc(span.startMs), end: toIsoUtc(span.endMs), posts: searchIds.size }
            sentences.push(`Recent search served ${searchIds.size} posts of that span.`)
          } else {
            needsImport = { startMs: reach.gap.startMs, endMs: span.endMs }
            sentences.push(
              `Recent search is not available to this app: posts from ${toIsoUtc(needsImport.startMs)} to ${toIsoUtc(needsImport.endMs)} need an archive (\`musktracker import FILE\`).`
            )
          }
        }
        summary = {
          kind: "Capped",
          description: sentences.join(" "),
          requestedStart: toIsoUtc(plan.requestedStartMs),
          reachedBackTo: toIsoUtc(searched ? reach.searchable!.startMs : reach.reachedBackToMs),
          timelinePosts: timelineIds.size,
          gap: { start: toIsoUtc(reach.gap.startMs), end: toIsoUtc(reach.gap.endMs) },
          ...(searched ? { searched } : {}),
          ...(needsImport ? { needsImport: { start: toIsoUtc(needsImport.startMs), end: toIsoUtc(needsImport.endMs) } } : {})
        }
      } else {
        summary = {
          kind: "Complete",
          description: describeReach(reach, plan.requestedStartMs, cap),
          requestedStart: toIsoUtc(plan.requestedStartMs),
          reachedBackTo: toIsoUtc(plan.requestedStartMs),
          timelinePosts: timelineIds.size
        }
      }

      // 3. The completion: only now does the cursor move.
      const cursor = nextCursor(state.lastCompleted?.cursor, seen)
      yield* appendRun(
        IngestionRunCompleted.encode(
          {
            runId,
            account,
            pages,
            tweetsSeen: seen.size,
            tweetsAppended: appended,
            ...(cursor !== undefined ? { cursor } : {}),
            reach: summary,
            completedAt: toIsoUtc(now())
          },
          context
        )
      )
      return {
        runId,
        account,
        userId: user.id,
        plan,
        pages,
        timelinePages,
        searchPages: pages - timelinePages,
        tweetsSeen: seen.size,
        tweetsAppended: appended,
        partialErrors,
        cursor,
        reach: summary
      } satisfies IngestSummary
    }).pipe(
      Effect.onExit((exit) =>
        Exit.isSuccess(exit)
          ? Effect.void
          : Cause.isInterruptedOnly(exit.cause)
            ? closeRun("interrupted", "stopped by a signal before completing")
            : closeRun("failed", errorLine(Cause.squash(exit.cause)))
      )
    )
  })

/** Look-up and run (tests; the command splits them to look up before it opens the store). */
export const runIngest = (options: IngestOptions) => Effect.flatMap(lookupAccount(options.account), (user) => ingestAccount(user, options))
