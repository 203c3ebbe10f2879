/** `musktracker counts`: hourly or daily tweet counts from the read models (UTC buckets). */
import { countRange, parseCountKinds } from "../../domain/counts/query"
import { Console, Effect, Option } from "effect"
import { parseInstant, toIsoUtc } from "../../domain/time"
import { dailyCounts, dataExtent, hourlyCounts, type TweetKind } from "../../projections/queries/counts"
import { catchUpProjections } from "../catch-up"
import { requireKnownAccount } from "../accounts/known"
import type { CliArgs } from "../cli/lazy"
import type { countsOptions } from "./command"
import { counted, renderCsv, renderJson, renderTable } from "../cli/format"
import { StoreLayer } from "../layers"
import { UsageError } from "../cli/usage-error"
import { resolveAccount } from "../cli/account"

export const parseInstantOption = (name: string, value: Option.Option<string>) =>
  Option.match(value, {
    onNone: () => Effect.succeed(undefined),
    onSome: (text) => {
      const ms = parseInstant(text)
      return ms === undefined
        ? Effect.fail(new UsageError({ message: `--${name} "${text}" is not an ISO 8601 instant with an offset or a date (e.g. 2025-07-07 or 2025-07-07T12:00:00-04:00)` }))
        : Effect.succeed(ms)
    }
  })

export const parseKinds = (text: string): Effect.Effect<ReadonlyArray<TweetKind>, UsageError> => {
  const kinds = parseCountKinds(text)
  return typeof kinds === "string" ? Effect.fail(new UsageError({ message: `--count ${kinds}` })) : Effect.succeed(kinds)
}

export const runCounts = (o: CliArgs<typeof countsOptions>) =>
  Effect.gen(function* () {
    if (o.hourly && o.daily) return yield* new UsageError({ message: "choose one of --hourly and --daily" })
    const daily = o.daily
    const account = yield* resolveAccount(o.account)
    const kinds = yield* parseKinds(o.count)
    const givenFrom = yield* parseInstantOption("from", o.from)
    const givenTo = yield* parseInstantOption("to", o.to)
    yield* catchUpProjections
    yield* requireKnownAccount(account)
    const lastTweetAt = givenTo === undefined ? (yield* dataExtent(account))?.last : undefined
    const { from, to } = countRange(daily ? "day" : "hour", { from: givenFrom, to: givenTo }, lastTweetAt, Date.now())
    if (to <= from) return yield* new UsageError({ message: `--from ${toIsoUtc(from)} is not before --to ${toIsoUtc(to)}` })
    const buckets = yield* (daily ? dailyCounts : hourlyCounts)({ account, from, to, kinds })
    const header = ["bucket_start", "count"]
    const rows = buckets.map((b) => [toIsoUtc(b.bucketStart), b.count] as const)
    if (o.format === "csv") yield* Console.log(renderCsv(header, rows))
    else if (o.format === "json") yield* Console.log(renderJson(buckets.map((b) => ({ bucket_start: toIsoUtc(b.bucketStart), count: b.count }))))
    else {
      yield* Console.log(renderTable(header, rows))
      const total = buckets.reduce((s, b) => s + b.count, 0)
      yield* Console.log(`${counted(buckets.length, daily ? "day" : "hour")}, ${counted(total, "tweet")} (${kinds.join(", ")})`)
    }
  }).pipe(Effect.provide(StoreLayer))
