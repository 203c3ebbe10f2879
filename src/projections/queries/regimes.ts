/**
 * Reading the `regimes` read model (src/projections/regimes.ts): detected regime shifts, as stored.
 * Instants are epoch ms. These read what the projection holds: catch up first to include the latest
 * events (`catchUpProjections`).
 */
import { Effect } from "effect"
import { sql } from "kysely"
import { SqlDatabase } from "../../adapters/sql/database"
import type { RegimeDetector, RunLengthSummary } from "../../domain/regimes/types"
import { REGIMES_TABLE } from "../regimes"
import { runQuery, jsonValue } from "./run-query"



export interface RegimeRow {
  readonly eventId: string
  readonly account: string
  readonly detector: RegimeDetector
  /** 00:00 UTC of the first day of the new regime (epoch ms). */
  readonly at: number
  /** When the detection became knowable (epoch ms, 00:00 UTC of the day after the last day used). */
  readonly detectedAt: number
  readonly probability: number
  /** Run-length posterior summary at detection (bocpd only). */
  readonly runLength: RunLengthSummary | null
  /** Mean posts per day before / after `at`. */
  readonly levelBefore: number
  readonly levelAfter: number
  /** Detector settings recorded with the detection. */
  readonly settings: Readonly<Record<string, unknown>> | null
  /** Global log position of the RegimeShiftDetected event. */
  readonly position: bigint
}

export interface RegimesQuery {
  /** Only this account (normalised: lower case, no `@`). */
  readonly account?: string
  readonly detector?: RegimeDetector
}

/** Detected regime shifts, ordered by account, regime start, detector, detection time. */
export const regimesList = (q: RegimesQuery = {}) =>
  Effect.gen(function* () {
    const { db, describe } = yield* SqlDatabase
    const r = yield* runQuery(describe, () =>
      sql<Record<string, unknown>>`
        select event_id::text as event_id, account, detector,
               (extract(epoch from at) * 1000)::float8 as at_ms, (extract(epoch from detected_at) * 1000)::float8 as detected_ms,
               probability, run_length_map, run_length_mean, run_length_p_short, level_before, level_after, settings,
               position::text as position
        from ${sql.table(REGIMES_TABLE)}
        where true
          ${q.account !== undefined ? sql`and account = ${q.account}` : sql``}
          ${q.detector !== undefined ? sql`and detector = ${q.detector}` : sql``}
        order by account, at, detector, detected_at`.execute(db)
    )
    return r.rows.map(
      (row): RegimeRow => ({
        eventId: String(row.event_id),
        account: String(row.account),
        detector: row.detector as RegimeDetector,
        at: Number(row.at_ms),
        detectedAt: Number(row.detected_ms),
        probability: Number(row.probability),
        runLength:
          row.run_length_map === null
            ? null
            : { map: Number(row.run_length_map), mean: Number(row.run_length_mean), pShort: Number(row.run_length_p_short) },
        levelBefore: Number(row.level_before),
        levelAfter: Number(row.level_after),
        settings: row.settings === null ? null : (jsonValue(row.settings) as Record<string, unknown>),
        position: BigInt(String(row.position))
      })
    ) as ReadonlyArray<RegimeRow>
  })
