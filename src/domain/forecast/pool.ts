/**
 * Sampling from a linear pool F = Σ w_i F_i: each path picks its member with probability w_i (one
 * uniform per path from the seeded Rng, in path order), then takes the member's next simulated path.
 * Each member therefore simulates exactly as many paths as were assigned to it (Σ = paths), with its
 * own seed, and the pooled paths are a pure function of (weights, paths, seeds).
 */
import type { Rng } from "../random"
import type { SamplePaths } from "../models/model"

export interface PoolAssignment {
  /** Member index of each pooled path. */
  readonly memberOf: Int32Array
  /** Paths assigned to each member. */
  readonly counts: ReadonlyArray<number>
}

export const assignPaths = (weights: ReadonlyArray<number>, paths: number, rng: Rng): PoolAssignment => {
  if (!(Number.isInteger(paths) && paths > 0)) throw new RangeError(`paths must be a positive integer, got ${paths}`)
  if (weights.length === 0 || weights.some((w) => !(w >= 0))) throw new RangeError("weights must be non-negative")
  const sum = weights.reduce((s, w) => s + w, 0)
  if (!(Math.abs(sum - 1) < 1e-9)) throw new RangeError(`weights must sum to 1, got ${sum}`)
  const cumulative: number[] = []
  let c = 0
  for (const w of weights) cumulative.push((c += w))
  // The last member with a positive weight takes any rounding slack at the top of [0, 1).
  let last = weights.length - 1
  while (last > 0 && weights[last] === 0) last--
  const memberOf = new Int32Array(paths)
  const counts = new Array<number>(weights.length).fill(0)
  for (let p = 0; p < paths; p++) {
    const u = rng.uniform()
    let i = 0
    while (i < last && !(u < cumulative[i]!)) i++
    while (weights[i] === 0) i++
    memberOf[p] = i
    counts[i]! += 1
  }
  return { memberOf, counts }
}

/** Interleaves member paths into the pooled sample: pooled path p is the next path of member memberOf[p]. */
export const combinePaths = (assignment: PoolAssignment, members: ReadonlyArray<SamplePaths | undefined>): SamplePaths => {
  const { memberOf, counts } = assignment
  let first: SamplePaths | undefined
  members.forEach((m, i) => {
    if (counts[i]! > 0) {
      if (m === undefined) throw new RangeError(`member ${i} was assigned ${counts[i]} paths but has no simulation`)
      if (m.paths !== counts[i]) throw new RangeError(`member ${i} simulated ${m.paths} paths, ${counts[i]} were assigned`)
      if (first !== undefined && (m.hours !== first.hours || m.origin !== first.origin)) throw new RangeError("members simulate different hours")
      first ??= m
    }
  })
  if (first === undefined) throw new RangeError("no member has paths")
  const hours = first.hours
  const values = new Float64Array(memberOf.length * hours)
  const next = new Array<number>(members.length).fill(0)
  for (let p = 0; p < memberOf.length; p++) {
    const i = memberOf[p]!
    const k = next[i]!++
    values.set(members[i]!.values.subarray(k * hours, (k + 1) * hours), p * hours)
  }
  return { origin: first.origin, hours, paths: memberOf.length, values }
}
