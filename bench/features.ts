/**
 * Feature matrix for the whole shared data set (every UTC hour of 2022-11 .. 2025-12, ~27k rows) with
 * every default column plus regime columns, a dozen curated events and the log1p columns.
 * Target: <= 200 ms. Reported: the pure matrix build from hourly counts, and the as-of path
 * (tweets -> as-of view -> hourly counts -> matrix) the programs use.
 */
import { Either } from "effect"
import { decide } from "../src/domain/exogenous/decider"
import type { ExogenousDomainEvent } from "../src/domain/events/exogenous"
import { asOf, featuresAsOf, hourlyAsOf, makeKnowledge } from "../src/domain/features/asof"
import { buildFeatureMatrix } from "../src/domain/features/matrix"
import { defaultFeatureSpec, makeFeatureSpec } from "../src/domain/features/spec"
import { HOUR_MS, hourFloor } from "../src/domain/time"
import { loadTweetTimes } from "./data"
import { atMost, medianMs, peakRssMiB, report, type BenchResult } from "./lib"

export default async function run(): Promise<BenchResult> {
  const times = loadTweetTimes()

  // A dozen curated events, each a day long, known a week ahead (scheduled).
  const exogenous: ExogenousDomainEvent[] = []
  for (let i = 0; i < 12; i++) {
    const start = Date.parse("2023-01-10T00:00:00Z") + i * 90 * 24 * HOUR_MS
    const r = decide(
      {
        _tag: "AddEvent",
        name: `event ${i}`,
        start: new Date(start).toISOString(),
        end: new Date(start + 24 * HOUR_MS - 1000).toISOString(),
        intensity: 0.1 + 0.07 * i,
        kind: "scheduled",
        knownAt: new Date(start - 7 * 24 * HOUR_MS).toISOString()
      },
      [],
      Date.parse("2026-01-01T00:00:00Z")
    )
    exogenous.push(...Either.getOrThrow(r))
  }
  const regimes = ["2023-06-01", "2024-03-01", "2024-11-01", "2025-04-01"].map((d, i) => ({ at: Date.parse(d), regimeId: `r${i}` }))
  const knowledge = makeKnowledge({ tweetTimes: times, exogenous, regimes })

  const spec = Either.getOrThrow(
    makeFeatureSpec([...defaultFeatureSpec({ regimes: regimes.length }).columns, "exo_count", "roll_sum_24", "log1p_roll_sum_24", "log1p_roll_mean_168"])
  )
  const cutoff = hourFloor(times[times.length - 1]!) + HOUR_MS
  const from = hourFloor(times[0]!)
  const hours = (cutoff - from) / HOUR_MS

  // Pure build from prepared inputs (hourly counts and as-of events already at hand).
  const view = asOf(knowledge, cutoff)
  const hourly = hourlyAsOf(view, from)
  const input = { hourly, from, hours, exogenous: view.exogenous, regimes: view.regimes }
  const buildMs = await medianMs(() => buildFeatureMatrix(spec, input), 9, 3)
  // End to end from the tweet instants.
  const asOfMs = await medianMs(() => featuresAsOf(knowledge, cutoff, spec, from, cutoff), 9, 3)

  return {
    targets: [
      atMost("feature matrix, whole data set (ms)", buildMs, "ms", 200),
      atMost("as-of features from tweet instants, whole data set (ms)", asOfMs, "ms", 200),
      report("rows", hours, "hours"),
      report("columns", spec.columns.length, "columns"),
      report("peak RSS", peakRssMiB(), "MiB")
    ],
    notes: [
      `${times.length} tweets, ${hours} hourly rows x ${spec.columns.length} columns (${((hours * spec.columns.length * 8) / 2 ** 20).toFixed(1)} MiB of float64)`,
      "median of 9 runs after 3 warm-up runs; the as-of figure includes the as-of view, hourly bucketing and the matrix"
    ]
  }
}
