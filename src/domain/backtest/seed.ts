/**
 * Per-task seeds. Each (model, origin) draws from its own seed derived from the run's seed, so the
 * numbers do not depend on task order or on how many workers run them.
 */
import { fnv1a32 } from "../hash"

export { fnv1a32 }

export const deriveSeed = (baseSeed: number, ...parts: ReadonlyArray<string | number>): number =>
  fnv1a32([baseSeed, ...parts].join(":"))
