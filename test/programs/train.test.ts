/**
 * `train` end to end on imported real data, on embedded PGlite and on real PostgreSQL: every model is
 * backtested and fitted, the results are events, and those events rebuild the backtest and model read
 * models exactly (`projections verify`).
 */
import { Effect } from "effect"
import { sql } from "kysely"
import { beforeAll, describe, expect, it } from "vitest"
import { readArchive } from "../../src/adapters/archive/read-archive"
import { SqlDatabase } from "../../src/adapters/sql/database"
import { MODEL_KINDS } from "../../src/domain/models/model"
import { importRows } from "../../src/programs/import/program"
import { trainProgram } from "../../src/programs/train/program"
import { findProjection } from "../../src/projections/registry"
import { verify } from "../../src/projections/verify"
import { useStore, type Backend } from "../projections/read-model-store"
import { SHARED_CSV } from "../support/shared-data"

const ALL_KINDS = ["post", "reply", "quote", "retweet"] as const
/** A slice of the archive long enough for 12 weekly origins after an 8-week window and NB's warm-up week. */
const SLICE_FROM = Date.UTC(2025, 6, 1)

const suite = (backend: Backend, windows: number) =>
  describe(`train --model all on ${backend}`, () => {
    const store = useStore(backend)
    beforeAll(async () => {
      const rows = (await Effect.runPromise(readArchive(SHARED_CSV))).filter((r) => r.createdAt >= SLICE_FROM)
      await store.run(importRows(rows, "elonmusk", "slice"))
    }, 300_000)

    it(`backtests every model, its calibrated variant and the ensemble over ${windows} origins, records it, and the events rebuild the read models exactly`, async () => {
      const { outcome, fitted, origins } = await store.run(
        trainProgram({
          account: "elonmusk",
          models: MODEL_KINDS,
          backtestWindows: windows,
          trainWindow: "8w",
          protocol: undefined,
          origins: undefined,
          paths: 600, // the engine is the same at any count; the protocol's 2000 are the bench's
          seed: 42,
          workers: 2,
          kinds: ALL_KINDS
        })
      )
      expect(origins).toHaveLength(windows)
      // every model, each model recalibrated from its own earlier errors, and the ensemble
      const forecasters = [...MODEL_KINDS, ...MODEL_KINDS.map((k) => `${k}+cal`), "ensemble"]
      expect(outcome.summaries.map((s) => s.model).sort()).toEqual([...forecasters].sort())
      for (const s of outcome.summaries) {
        expect(s.origins).toBe(windows)
        expect(Number.isFinite(s.crps_week) && s.crps_week > 0).toBe(true)
        // nowcasts inside the week: the observed part makes them sharper, day by day
        expect(s.crps_week_at_1d).toBeGreaterThan(0)
        expect(s.crps_week_at_5d!).toBeLessThan(s.crps_week_at_1d!)
        for (const c of [s.cover80_week_at_1d, s.cover80_week_at_3d, s.cover80_week_at_5d]) expect(c! >= 0 && c! <= 1).toBe(true)
      }
      expect(fitted.map((f) => f.kind).sort()).toEqual([...MODEL_KINDS].sort())

      const rows = await store.run(
        Effect.flatMap(SqlDatabase, ({ db }) =>
          Effect.promise(() =>
            sql<{ n: string }>`select count(*)::text as n from backtest_windows where backtest_id = ${outcome.backtestId}`.execute(db)
          )
        )
      )
      expect(Number(rows.rows[0]!.n)).toBe(windows * forecasters.length)

      for (const name of ["backtests", "models"]) {
        const report = await store.run(verify(findProjection(name)!))
        expect(report.differences, `${name} differs from its replay`).toBe(0)
        expect(report.events).toBeGreaterThan(0)
      }
    }, 600_000)
  })

suite("pglite", 12)
suite("postgres", 12)
