/**
 * Count brackets, as prediction markets list them: `"0-199,200-219,...,580-599,600+"`.
 *
 * Syntax, comma-separated: `A-B` (A ≤ B, both whole numbers, inclusive), `<N` (0 .. N−1), `N+` (N or
 * more; only as the last bracket). The list must partition the counts: it starts at 0, each bracket
 * starts right after the previous one ends (no gap, no overlap), and it ends open (`N+`). So the
 * probabilities always sum to 1.
 *
 * On the real line (SARIMAX totals are not integers) bracket `A-B` holds totals x with A ≤ x < B + 1,
 * `N+` holds x ≥ N, and the first bracket also takes any total below 0.
 */

export interface Bracket {
  /** As written, normalised: `0-199`, `600+`. */
  readonly label: string
  readonly lo: number
  /** Inclusive upper bound; null for the open last bracket. */
  readonly hi: number | null
}

const WHOLE = /^[0-9]+$/

const parseOne = (raw: string): Bracket | string => {
  const t = raw.replace(/\s+/g, "")
  if (t === "") return "empty bracket"
  if (t.endsWith("+")) {
    const n = t.slice(0, -1)
    return WHOLE.test(n) ? { label: `${Number(n)}+`, lo: Number(n), hi: null } : `"${raw.trim()}" is not N+`
  }
  if (t.startsWith("<")) {
    const n = t.slice(1)
    if (!WHOLE.test(n) || Number(n) < 1) return `"${raw.trim()}" is not <N with N >= 1`
    return { label: `0-${Number(n) - 1}`, lo: 0, hi: Number(n) - 1 }
  }
  const m = /^([0-9]+)-([0-9]+)$/.exec(t)
  if (!m) return `"${raw.trim()}" is not A-B, <N or N+`
  const lo = Number(m[1])
  const hi = Number(m[2])
  if (hi < lo) return `"${raw.trim()}" is reversed (${lo} > ${hi})`
  return { label: `${lo}-${hi}`, lo, hi }
}

export const parseBrackets = (text: string): ReadonlyArray<Bracket> | string => {
  const fail = (why: string) => `"${text}": ${why}`
  const parts = text.split(",")
  const out: Bracket[] = []
  for (const part of parts) {
    const b = parseOne(part)
    if (typeof b === "string") return fail(b)
    if (!Number.isSafeInteger(b.lo) || (b.hi !== null && !Number.isSafeInteger(b.hi))) return fail(`"${part.trim()}" is too large`)
    out.push(b)
  }
  if (out.length < 2) return fail("give at least two brackets, ending with an open one such as 600+")
  if (out[0]!.lo !== 0) return fail(`the first bracket ${out[0]!.label} must start at 0 (add 0-${out[0]!.lo - 1} or <${out[0]!.lo} before it)`)
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1]!
    const cur = out[i]!
    if (prev.hi === null) return fail(`the open bracket ${prev.label} must be the last one (${cur.label} follows it)`)
    if (cur.lo <= prev.hi) return fail(`${prev.label} and ${cur.label} overlap`)
    if (cur.lo > prev.hi + 1) return fail(`gap between ${prev.label} and ${cur.label} (${prev.hi + 1}-${cur.lo - 1} is in no bracket)`)
  }
  const last = out[out.length - 1]!
  if (last.hi !== null) return fail(`the last bracket ${last.label} must be open (e.g. ${last.hi + 1}+), so every count is in a bracket`)
  return out
}

export interface BracketProbability extends Bracket {
  /** Monte Carlo paths whose window total falls in the bracket. */
  readonly count: number
  /** count / paths. */
  readonly probability: number
}

/** Index of the bracket holding total x (see the module comment for non-integer totals). */
export const bracketIndex = (brackets: ReadonlyArray<Bracket>, x: number): number => {
  // Binary search on the lower bounds: the last bracket with lo <= x (the first one takes x < 0).
  let lo = 0
  let hi = brackets.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (brackets[mid]!.lo <= x) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * Probability of each bracket from the Monte Carlo window totals: the share of paths in it. The counts
 * sum to the number of paths exactly, so the probabilities sum to 1 (up to float rounding of k/n).
 */
export const bracketProbabilities = (brackets: ReadonlyArray<Bracket>, totals: ArrayLike<number>): ReadonlyArray<BracketProbability> => {
  const n = totals.length
  if (n === 0) throw new RangeError("bracket probabilities of an empty sample")
  const counts = new Array<number>(brackets.length).fill(0)
  for (let i = 0; i < n; i++) {
    const x = totals[i]!
    if (Number.isNaN(x)) throw new RangeError("a window total is NaN")
    counts[bracketIndex(brackets, x)]! += 1
  }
  return brackets.map((b, i) => ({ ...b, count: counts[i]!, probability: counts[i]! / n }))
}
