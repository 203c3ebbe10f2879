/** Brings every read model up to the end of the log: programs run it before reading read models. */
import { Effect } from "effect"
import { projections } from "../projections/registry"
import { catchUp } from "../projections/runtime"

export const catchUpProjections = catchUp(projections).pipe(
  Effect.tap((s) => (s.events > 0 ? Effect.logDebug(`projections caught up: ${s.events} events in ${s.batches} batches`) : Effect.void)),
  Effect.withLogSpan("projections")
)
