/**
 * A realistic synthetic posting history for `musktracker demo`, drawn from the project's own Hawkes
 * simulator. Pure and seeded: the same (end, weeks, seed) gives the same posts.
 *
 * Constants and their source: hour-of-day baseline μ_h (posts/hour), branching ratio α and decay β were
 * fitted with `hawkesModel` (baseline "hour_of_day") on the shared real data, the 25 weeks before
 * 2025-12-29T00:00Z (11,291 posts): α = 0.798, β = 11.68 /h (excitation half-life ln2/β ≈ 3.6 min).
 * Expected volume at level 1: Σμ_h/(1−α) ≈ 67 posts/day, as the real account in late 2025.
 * To give the regime detector something to find, the first 40% of the weeks run at level 0.6
 * (an illustrative shift, of the size the real account showed in spring 2025).
 * Kinds are illustrative shares (the shared archive does not tell replies from posts): 50% replies,
 * 25% original posts, 10% quotes, 15% reposts.
 */
import { simulateEventTimes } from "../models/hawkes/simulate"
import { Rng } from "../random"
import { HOUR_MS, hourFloor } from "../time"
import { snowflakeIdAt } from "../ingestion/tweet-id"
import type { TweetKind } from "../events/tweet"

export const DEMO_MU: ReadonlyArray<number> = [
  0.6378, 0.5304, 0.4995, 0.5069, 0.6687, 0.9198, 0.8501, 0.505, 0.4321, 0.2012, 0.1475, 0.1615, 0.1779, 0.2947, 0.4856, 0.5139,
  0.8693, 0.7128, 0.6782, 0.8138, 0.6425, 0.6073, 0.5998, 0.589
]
export const DEMO_ALPHA = 0.7978
export const DEMO_BETA = 11.678
export const DEMO_EARLY_LEVEL = 0.6
export const DEMO_EARLY_SHARE = 0.4

export const DEMO_AUTHOR_ID = "44196397"

export type DemoKind = TweetKind

export interface DemoTweet {
  readonly id: string
  readonly createdAtMs: number
  readonly kind: DemoKind
  /** Id of the referenced post for replies, quotes and reposts. */
  readonly referencedId: string | undefined
}

const pickKind = (u: number): DemoKind => (u < 0.5 ? "reply" : u < 0.75 ? "post" : u < 0.85 ? "quote" : "retweet")

export interface DemoHistoryOptions {
  /** Multiplies the background rate (a quieter or busier account); default 1. */
  readonly level?: number
  /** Sets the id's low bits apart (0..15), so accounts posting in the same millisecond get distinct ids. */
  readonly idSalt?: number
}

/** Posts in [end − weeks, end), ascending by time, with Snowflake ids that decode to their instants. */
export const demoHistory = (endMs: number, weeks: number, seed: number, options: DemoHistoryOptions = {}): DemoTweet[] => {
  const level = options.level ?? 1
  const salt = options.idSalt ?? 0
  if (!(level > 0)) throw new RangeError(`level must be positive, got ${level}`)
  if (!Number.isInteger(salt) || salt < 0 || salt > 15) throw new RangeError(`idSalt must be an integer in 0..15, got ${salt}`)
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`weeks must be a positive integer, got ${weeks}`)
  const end = hourFloor(endMs)
  const hours = weeks * 168
  const start = end - hours * HOUR_MS
  const firstHour = Math.floor(start / HOUR_MS)
  const earlyHours = Math.round(hours * DEMO_EARLY_SHARE)
  const mu = new Float64Array(hours)
  for (let k = 0; k < hours; k++) mu[k] = DEMO_MU[(firstHour + k) % 24]! * (k < earlyHours ? DEMO_EARLY_LEVEL : 1) * level
  const rng = Rng.seeded(seed)
  const times = simulateEventTimes(mu, DEMO_ALPHA, DEMO_BETA, 0, rng)
  const out: DemoTweet[] = []
  let lastMs = -1
  let seq = 0
  for (let i = 0; i < times.length; i++) {
    const ms = Math.floor(start + times[i]! * HOUR_MS)
    seq = ms === lastMs ? seq + 1 : 0
    lastMs = ms
    const kind = pickKind(rng.uniform())
    // Referenced posts are someone else's, a little older; their ids only need to be valid and distinct.
    const referencedId = kind === "post" ? undefined : snowflakeIdAt(ms - 60_000 - rng.int(3_600_000), 4_000_000 + (i % 100_000))
    out.push({ id: snowflakeIdAt(ms, salt * 4096 + seq), createdAtMs: ms, kind, referencedId })
  }
  return out
}
