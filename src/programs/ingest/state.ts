/**
 * The state of `ingestion-<account>` a new run needs: the stream's last revision (every append of
 * the run expects exactly the revision it saw, so two concurrent runs of one account cannot
 * interleave) and the last COMPLETED run (whose cursor the run starts from). Read backwards from the
 * end, stopping at the first IngestionRunCompleted: the cost does not grow with the stream's history.
 */
import { Chunk, Effect, Stream } from "effect"
import { makeDecoder } from "../../domain/events/codec"
import { ingestionDefinitions, ingestionStream, IngestionRunCompleted, IngestionRunFailed, IngestionRunStarted } from "../../domain/events/ingestion"
import { EventStore } from "../../domain/ports/event-store"
import { parseInstant } from "../../domain/time"
import type { LastCompletedRun } from "./plan"

const decodeIngestion = makeDecoder(ingestionDefinitions)

export interface IngestionState {
  /** Revision of the stream's last event; undefined when the stream does not exist. */
  readonly revision: number | undefined
  readonly lastCompleted: LastCompletedRun | undefined
  /** The latest run when it has neither completed nor failed: still running, or killed. */
  readonly openRun: { readonly runId: string; readonly startedAt: string } | undefined
}

export const readIngestionState = (account: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const events = yield* store.readStream(ingestionStream(account), { direction: "backwards" }).pipe(
      Stream.mapEffect((recorded) => Effect.suspend(() => decodeIngestion(recorded))),
      Stream.takeUntil((e) => IngestionRunCompleted.is(e)),
      Stream.runCollect,
      Effect.map(Chunk.toReadonlyArray)
    )
    const revision = events[0]?.revision
    // The latest run is open when its Started comes before any Completed or Failed (reading backwards).
    const latestEnd = events.findIndex((e) => IngestionRunCompleted.is(e) || IngestionRunFailed.is(e))
    const latestStart = events.findIndex((e) => IngestionRunStarted.is(e))
    const started = latestStart >= 0 ? events[latestStart] : undefined
    const openRun =
      started !== undefined && IngestionRunStarted.is(started) && (latestEnd < 0 || latestStart < latestEnd)
        ? { runId: started.data.runId, startedAt: started.data.startedAt }
        : undefined
    const completed = events.find((e) => IngestionRunCompleted.is(e))
    if (completed === undefined || !IngestionRunCompleted.is(completed)) return { revision, lastCompleted: undefined, openRun } satisfies IngestionState
    const d = completed.data
    return {
      revision,
      lastCompleted: {
        runId: d.runId,
        cursor: d.cursor,
        requestedStartMs: parseInstant(d.reach.requestedStart)!,
        completedAtMs: parseInstant(d.completedAt)!
      },
      openRun
    } satisfies IngestionState
  })

