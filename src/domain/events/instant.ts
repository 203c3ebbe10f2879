/** The instant type every event uses: a UTC instant in its canonical spelling (the output of `toIsoUtc`). */
import { Schema } from "effect"
import { parseInstant, toIsoUtc } from "../time"

export const UtcInstant = Schema.String.pipe(
  Schema.filter((s) => {
    const ms = parseInstant(s)
    return (ms !== undefined && toIsoUtc(ms) === s) || `expected a canonical UTC instant like 2025-01-15T00:00:00Z, got "${s}"`
  }),
  Schema.annotations({ identifier: "UtcInstant" })
)
