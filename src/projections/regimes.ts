/**
 * `regimes`: one row per RegimeShiftDetected (src/domain/events/regime.ts), keyed by the event id, which
 * is deterministic (account, detector, regime start, detection time): `regimes detect` re-run over the
 * same data appends nothing, and a row can never appear twice. Table: migration 0020.
 */
import { RegimeShiftDetected } from "../domain/events/regime"
import type { Projection } from "./projection"
import { noWrites, Write } from "./write"

export const REGIMES_TABLE = "regimes"

export const regimesProjection: Projection = {
  name: "regimes",
  tables: [REGIMES_TABLE],
  eventTypes: [RegimeShiftDetected.type],
  handle: (event, position) => {
    if (!RegimeShiftDetected.is(event)) return noWrites
    const d = event.data
    return [
      Write.upsert(REGIMES_TABLE, {
        event_id: event.id,
        account: d.account,
        detector: d.detector,
        at: d.at,
        detected_at: d.detectedAt,
        probability: d.probability,
        run_length_map: d.runLength?.map ?? null,
        run_length_mean: d.runLength?.mean ?? null,
        run_length_p_short: d.runLength?.pShort ?? null,
        level_before: d.levelBefore,
        level_after: d.levelAfter,
        settings: d.settings === undefined ? null : JSON.stringify(d.settings),
        position
      })
    ]
  }
}
