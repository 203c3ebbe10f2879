/** `musktracker status`: which store is in use, how many events, and each projection's checkpoint and lag. */
import { Console, Effect } from "effect"
import { projections } from "../../projections/registry"
import { projectionStatus } from "../../projections/status"
import { toIsoUtc } from "../../domain/time"
import type { CliArgs } from "../cli/lazy"
import type { statusOptions } from "./command"
import { renderJson, renderTable } from "../cli/format"
import { StoreLayer } from "../layers"

export const runStatus = ({ format }: CliArgs<typeof statusOptions>) =>
  Effect.gen(function* () {
    const report = yield* projectionStatus(projections)
    if (format === "json") {
      yield* Console.log(
        renderJson({
          store: report.store,
          database: report.database,
          events: report.events,
          lastPosition: report.lastPosition ?? null,
          projections: report.projections.map((p) => ({
            name: p.name,
            checkpoint: p.checkpoint,
            lag: p.lag,
            updatedAt: p.updatedAt ? toIsoUtc(p.updatedAt.getTime()) : null
          }))
        })
      )
      return
    }
    yield* Console.log(`event store:   ${report.store}`)
    yield* Console.log(`read models:   ${report.database}`)
    yield* Console.log(`events:        ${report.events}`)
    yield* Console.log(`last position: ${report.lastPosition ?? "(empty)"}`)
    yield* Console.log("")
    yield* Console.log(
      renderTable(
        ["projection", "checkpoint", "lag", "updated"],
        report.projections.map((p) => [p.name, p.checkpoint.toString(), p.lag, p.updatedAt ? toIsoUtc(p.updatedAt.getTime()) : "never"])
      )
    )
  }).pipe(Effect.provide(StoreLayer))
