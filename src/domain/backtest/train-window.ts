/**
 * Training windows: `<n>w` (n whole weeks before the origin) or `since-regime` (from the latest regime
 * start known at the origin, clamped to [MIN_REGIME_WEEKS, MAX_REGIME_WEEKS] weeks; 8 weeks when no
 * regime is known yet). Whole hours throughout.
 */
import type { RegimeStart } from "../features/matrix"
import { HOUR_MS, WEEK_MS } from "../time"

export type TrainWindow = { readonly _tag: "Weeks"; readonly weeks: number } | { readonly _tag: "SinceRegime" }

export const DEFAULT_TRAIN_WEEKS = 8
/** Seasonal naive needs two full weeks; fewer would leave several models unfittable. */
export const MIN_REGIME_WEEKS = 2
export const MAX_REGIME_WEEKS = 26

export const parseTrainWindow = (text: string): TrainWindow | string => {
  const t = text.trim()
  if (t === "since-regime") return { _tag: "SinceRegime" }
  const m = /^([1-9][0-9]?)w$/.exec(t)
  if (!m) return `must be <weeks>w (e.g. 8w) or since-regime, got "${text}"`
  const weeks = Number(m[1])
  return weeks >= 2 ? { _tag: "Weeks", weeks } : `needs at least 2 weeks (seasonal naive compares weeks), got "${text}"`
}

export const formatTrainWindow = (w: TrainWindow): string => (w._tag === "Weeks" ? `${w.weeks}w` : "since-regime")

/** Hours of training data before `origin` under window `w`, given the regimes known (any; filtered here). */
export const trainHoursAt = (w: TrainWindow, origin: number, regimes: ReadonlyArray<RegimeStart>): number => {
  if (w._tag === "Weeks") return w.weeks * 168
  const known = regimes.filter((r) => (r.knownAt ?? r.at) < origin && r.at < origin)
  if (known.length === 0) return DEFAULT_TRAIN_WEEKS * 168
  const start = Math.max(...known.map((r) => r.at))
  const hours = Math.floor((origin - start) / HOUR_MS)
  return Math.min(MAX_REGIME_WEEKS * 168, Math.max(MIN_REGIME_WEEKS * 168, hours))
}

export const weeksOf = (hours: number): number => hours / (WEEK_MS / HOUR_MS)
