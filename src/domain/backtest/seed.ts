/**
 * Per-task seeds. Each (model, origin) draws from its own seed derived from the run's seed, so the
 * numbers do not depend on task order or on how many workers run them.
 */

/** FNV-1a 32-bit hash of a string: stable across platforms and versions. */
export const fnv1a32 = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export const deriveSeed = (baseSeed: number, ...parts: ReadonlyArray<string | number>): number =>
  fnv1a32([baseSeed, ...parts].join(":"))
