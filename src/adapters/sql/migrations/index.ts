/** The migration registry: every migration in list.ts, sorted by version and checked for duplicates. */
import * as list from "./list"
import type { Migration } from "./migration"

export type { Migration } from "./migration"
export { execAll } from "./migration"

/** Sorts and validates a migration list (versions positive integers, unique). Throws on a bad list. */
export const sortMigrations = (ms: ReadonlyArray<Migration>): ReadonlyArray<Migration> => {
  const sorted = [...ms].sort((a, b) => a.version - b.version)
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i]!
    if (!Number.isInteger(m.version) || m.version <= 0) throw new Error(`migration ${m.name}: version must be a positive integer, got ${m.version}`)
    if (i > 0 && sorted[i - 1]!.version === m.version)
      throw new Error(`migrations ${sorted[i - 1]!.name} and ${m.name} share version ${m.version}`)
  }
  return sorted
}

export const migrations: ReadonlyArray<Migration> = sortMigrations(Object.values(list))
