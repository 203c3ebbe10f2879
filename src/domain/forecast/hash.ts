/**
 * Fingerprints recorded in ForecastIssued so `forecast reproduce` can say *what* differs: a hash of the
 * model inputs (hourly counts, event instants, exogenous intensities) and of the model spec. Two
 * independent 32-bit FNV-1a style hashes (src/domain/hash.ts) over the exact float64 bytes give 64 bits:
 * plenty to detect a change, not meant to resist tampering.
 */
import { canonicalJson, hash64 } from "../hash"
import type { ModelInputs } from "../models/model"

export { canonicalJson }

export const hashInputs = (inputs: ModelInputs): string =>
  hash64([[inputs.origin, inputs.hourly.start], inputs.hourly.counts, inputs.eventTimes, inputs.exogenous ?? []])

export const hashJson = (value: unknown): string => hash64([canonicalJson(value)])
