/** The instant type every event uses: a UTC instant in its canonical spelling (the output of `toIsoUtc`). */
import { Schema } from "effect"
import { isCanonicalInstant } from "../time"

export const UtcInstant = Schema.String.pipe(
  Schema.filter((s) => isCanonicalInstant(s) || `expected a canonical UTC instant like 2025-01-15T00:00:00Z, got "${s}"`),
  Schema.annotations({ identifier: "UtcInstant" })
)
