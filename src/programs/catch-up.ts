/** Brings every read model up to the end of the log before a command reads them. */
import { Effect } from "effect"
import { projections } from "../projections/registry"
import { catchUp } from "../projections/runtime"

export const catchUpProjections = catchUp(projections).pipe(Effect.withLogSpan("projections"))
