/**
 * `musktracker import FILE`: tweets from a CSV archive (`tweet_id,created_at[,kind]`) through the same
 * `TweetObserved` path as the API (source `import`).
 *
 * All-or-nothing validation, then per committed batch: every row is parsed first (a bad row fails the
 * run naming file and line, and nothing is written); then tweets are appended in batches of 1,000, each
 * batch one transaction. Event ids are deterministic, so a re-run (after a crash, or of the same file)
 * appends only what is missing.
 */
import { resolveAccount } from "../cli/account"
import { Console, Effect } from "effect"
import { randomUUID } from "node:crypto"
import { readArchiveContents } from "../../adapters/archive/read-archive"
import { codeVersion } from "../../adapters/code-version"
import type { ArchiveRow } from "../../domain/archive/csv"
import { ExpectedRevision } from "../../domain/events/envelope"
import { TweetObserved } from "../../domain/events/tweet"
import { EventStore } from "../../domain/ports/event-store"
import { toIsoUtc } from "../../domain/time"
import { catchUpProjections } from "../catch-up"
import { tweetsOfOtherAccounts } from "../../projections/queries/accounts"
import type { CliArgs } from "../cli/lazy"
import type { importOptions } from "./command"
import { StoreLayer } from "../layers"
import { progressReporter } from "../cli/progress"
import { counted } from "../cli/format"

export const IMPORT_BATCH = 1_000

export interface ImportSummary {
  readonly rows: number
  readonly appended: number
  readonly alreadyPresent: number
}

export const importRows = (rows: ReadonlyArray<ArchiveRow>, account: string, label: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const context = { codeVersion: codeVersion(), correlationId: randomUUID() }
    const observedAt = toIsoUtc(Date.now())
    const progress = yield* progressReporter(`import ${label}`, rows.length)
    let appended = 0
    for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
      const batch = rows.slice(i, i + IMPORT_BATCH).map((r) => {
        const { stream, event } = TweetObserved.toAppend(
          {
            tweetId: r.tweetId,
            authorId: "",
            account,
            createdAt: toIsoUtc(r.createdAt),
            kind: r.kind,
            referencedIds: [],
            observedAt,
            source: "import"
          },
          context
        )
        return { stream, events: [event], expected: ExpectedRevision.noStream }
      })
      // A tweet already observed (by the API or an earlier import) is a no-op, never an error.
      const { results } = yield* store.appendMany(batch, { skipConflicts: true })
      for (const r of results) if ("written" in r && r.written) appended++
      progress.update(Math.min(rows.length, i + IMPORT_BATCH))
    }
    progress.stop()
    return { rows: rows.length, appended, alreadyPresent: rows.length - appended } satisfies ImportSummary
  })

export const runImport = ({ file, account: flag, skipInvalid }: CliArgs<typeof importOptions>) =>
  Effect.gen(function* () {
    const started = Date.now()
    // Checked before the file is read or the store opened: a bad handle writes nothing.
    const account = yield* resolveAccount(flag)
    const { rows, skipped } = yield* readArchiveContents(file, { skipInvalid })
    // Skipped rows are counted and listed, never dropped silently.
    for (const r of skipped.slice(0, 50)) yield* Console.error(`skipped ${file}:${r.line}: ${r.reason}`)
    if (skipped.length > 50) yield* Console.error(`skipped ... and ${skipped.length - 50} more invalid rows`)
    const summary = yield* importRows(rows, account, file)
    const projected = yield* catchUpProjections
    if (summary.alreadyPresent > 0) {
      // Say so when "already present" means "already another account's": the file may be under the wrong --account.
      const others = yield* tweetsOfOtherAccounts(rows.map((r) => r.tweetId), account)
      if (others.length > 0)
        yield* Console.error(
          `note: ${others.map((o) => `${o.tweets} of the tweets already present ${o.tweets === 1 ? "is" : "are"} @${o.account}'s`).join(", ")}, not @${account}'s: ` +
            `a tweet stays with the account it was first recorded for, so ${others.reduce((n, o) => n + o.tweets, 0) === 1 ? "it was" : "they were"} not added to @${account}`
        )
    }
    yield* Console.log(
      `imported ${file}: ${counted(summary.rows, "row")}, ${counted(summary.appended, "new tweet")}, ${summary.alreadyPresent} already present; ` +
        (skipped.length > 0 ? `${counted(skipped.length, "invalid row")} skipped; ` : "") +
        `projected ${counted(projected.events, "event")} in ${((Date.now() - started) / 1000).toFixed(1)} s`
    )
  }).pipe(Effect.provide(StoreLayer))
