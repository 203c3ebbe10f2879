/**
 * The regimes projection on hand-made RegimeShiftDetected events, on PGlite and PostgreSQL: one row per
 * event with its values, filters by account and detector, and incremental application equals a replay.
 */
import { describe, expect, it } from "vitest"
import { RegimeShiftDetected, regimeShiftData } from "../../src/domain/events/regime"
import type { RegimeDetection } from "../../src/domain/regimes/types"
import { regimesList } from "../../src/projections/queries/regimes"
import { REGIMES_TABLE, regimesProjection } from "../../src/projections/regimes"
import { rebuild } from "../../src/projections/rebuild"
import { catchUp } from "../../src/projections/runtime"
import { verify } from "../../src/projections/verify"
import { appendEvents, tableSnapshot, useStore, type Backend } from "./read-model-store"

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`)

const bocpdShift: RegimeDetection = {
  detector: "bocpd",
  dayStart: day("2024-10-17"),
  detectedAt: day("2024-11-02"),
  probability: 0.52,
  runLength: { map: 16, mean: 31.6, pShort: 0.0625 },
  levelBefore: 83.25,
  levelAfter: 128.75
}
const rollingShift: RegimeDetection = {
  detector: "rolling_variance",
  dayStart: day("2024-10-27"),
  detectedAt: day("2024-11-03"),
  probability: 0.99994,
  runLength: null,
  levelBefore: 93.5,
  levelAfter: 155.25
}
const otherAccount: RegimeDetection = { ...bocpdShift, dayStart: day("2025-04-02"), detectedAt: day("2025-04-09"), levelBefore: 102, levelAfter: 57 }

const runSuite = (backend: Backend) =>
  describe(`regimes projection on ${backend}`, () => {
    const store = useStore(backend)

    it("one row per detection with the event's values", async () => {
      const events = [
        { def: RegimeShiftDetected, data: regimeShiftData("elonmusk", rollingShift, { k: 4 }) },
        { def: RegimeShiftDetected, data: regimeShiftData("elonmusk", bocpdShift, { hazard: 1 / 90 }) },
        { def: RegimeShiftDetected, data: regimeShiftData("someone_else", otherAccount) }
      ]
      await store.run(appendEvents(events))
      // the same facts again (deterministic ids): the store keeps one copy, the read model one row each
      await store.run(appendEvents(events))
      await store.run(catchUp([regimesProjection], { batchSize: 2 }))

      const rows = await store.run(regimesList())
      expect(rows.map((r) => [r.account, r.detector, r.at])).toEqual([
        ["elonmusk", "bocpd", day("2024-10-17")],
        ["elonmusk", "rolling_variance", day("2024-10-27")],
        ["someone_else", "bocpd", day("2025-04-02")]
      ])
      expect(rows[0]).toMatchObject({
        eventId: RegimeShiftDetected.idOf(regimeShiftData("elonmusk", bocpdShift)),
        detectedAt: day("2024-11-02"),
        probability: 0.52,
        runLength: { map: 16, mean: 31.6, pShort: 0.0625 },
        levelBefore: 83.25,
        levelAfter: 128.75,
        settings: { hazard: 1 / 90 }
      })
      expect(rows[1]).toMatchObject({ runLength: null, probability: 0.99994, levelBefore: 93.5, levelAfter: 155.25, settings: { k: 4 } })
      expect(rows[2]!.settings).toBeNull()
      expect(rows[0]!.position).toBeGreaterThan(rows[1]!.position) // appended after the rolling-variance one

      expect((await store.run(regimesList({ account: "elonmusk" }))).length).toBe(2)
      expect((await store.run(regimesList({ detector: "rolling_variance" }))).map((r) => r.at)).toEqual([day("2024-10-27")])
      expect(await store.run(regimesList({ account: "nobody" }))).toEqual([])
    })

    it("incremental application equals a replay from zero, and rebuild reproduces the table", async () => {
      const report = await store.run(verify(regimesProjection))
      expect(report.differences).toBe(0)
      expect(report.tables[0]!.liveRows).toBe(3)
      const before = await store.run(tableSnapshot(REGIMES_TABLE))
      await store.run(rebuild(regimesProjection))
      expect(await store.run(tableSnapshot(REGIMES_TABLE))).toEqual(before)
    })
  })

runSuite("pglite")
runSuite("postgres")
