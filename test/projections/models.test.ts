/**
 * The models projection on hand-made ModelFitted events, on PGlite and PostgreSQL: rows carry the
 * events' values (spec, parameters and diagnostics round-trip through jsonb unchanged), the latest fit
 * of a kind is the one with the highest log position, and incremental application equals a replay.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { ModelFitted, type ModelFittedData } from "../../src/domain/events/model"
import { MODELS_TABLE, modelsProjection } from "../../src/projections/models"
import { fittedModelOf, latestModelFitted, listModels, modelById } from "../../src/projections/queries/models"
import { rebuild } from "../../src/projections/rebuild"
import { catchUp } from "../../src/projections/runtime"
import { verify } from "../../src/projections/verify"
import { appendEvents, tableSnapshot, useStore, type Backend } from "./read-model-store"

const fit = (modelId: string, kind: ModelFittedData["kind"], trainEnd: string, params: Record<string, unknown>, backtestId?: string): ModelFittedData => ({
  modelId,
  kind,
  spec: { kernel: "exponential", periodic: { dayOfWeek: true }, lags: [1, 24, 168] },
  trainStart: "2025-05-12T00:00:00Z",
  trainEnd,
  warmupHours: 168,
  trainWindow: "8w",
  watermark: "70234",
  countKinds: ["post", "reply", "quote", "retweet"],
  params,
  diagnostics: { converged: true, iterations: 37, logLik: -12345.678901234567, gradNorm: 1.5e-9 },
  ...(backtestId !== undefined ? { backtestId } : {}),
  fitSeconds: 2.5
})

const H1 = "11111111-1111-4111-8111-111111111111"
const H2 = "22222222-2222-4222-8222-222222222222"
const N1 = "33333333-3333-4333-8333-333333333333"
const BT = "44444444-4444-4444-8444-444444444444"

const hawkesParams = { mu: [0.1, 0.2, 0.30000000000000004], alpha: 0.6, beta: 1.7e-3, nested: { a: [[1, 2], [3]], b: null, c: "x" } }

const runSuite = (backend: Backend) =>
  describe(`models projection on ${backend}`, () => {
    const store = useStore(backend)

    it("one row per fit; the latest of a kind is the newest in the log", async () => {
      await store.run(
        appendEvents([
          { def: ModelFitted, data: fit(H1, "hawkes", "2025-07-07T00:00:00Z", { mu: [0.5], alpha: 0.1, beta: 1 }) },
          { def: ModelFitted, data: fit(N1, "negative_binomial", "2025-07-07T00:00:00Z", { beta: [1.5, -0.25], alpha: 0.3 }) },
          { def: ModelFitted, data: fit(H2, "hawkes", "2025-07-14T00:00:00Z", hawkesParams, BT) }
        ])
      )
      await store.run(catchUp([modelsProjection], { batchSize: 1 }))

      const latest = (await store.run(latestModelFitted("elonmusk", "hawkes")))!
      expect(latest.modelId).toBe(H2)
      expect(latest).toMatchObject({
        kind: "hawkes",
        trainStart: Date.parse("2025-05-12T00:00:00Z"),
        trainEnd: Date.parse("2025-07-14T00:00:00Z"),
        warmupHours: 168,
        trainWindow: "8w",
        watermark: 70234n,
        countKinds: ["post", "reply", "quote", "retweet"],
        backtestId: BT,
        fitSeconds: 2.5,
        codeVersion: "test@1"
      })
      expect(latest.params).toEqual(hawkesParams)
      expect(latest.spec).toEqual({ kernel: "exponential", periodic: { dayOfWeek: true }, lags: [1, 24, 168] })
      expect(latest.diagnostics).toEqual({ converged: true, iterations: 37, logLik: -12345.678901234567, gradNorm: 1.5e-9 })
      expect(fittedModelOf(latest)).toEqual({ kind: "hawkes", params: hawkesParams, diagnostics: latest.diagnostics })
      expect(Math.abs(latest.fittedAt - Date.now())).toBeLessThan(10 * 60_000)

      expect((await store.run(latestModelFitted("elonmusk", "negative_binomial")))!.modelId).toBe(N1)
      expect(await store.run(latestModelFitted("elonmusk", "sarimax"))).toBeUndefined()
      expect((await store.run(modelById(H1)))!.backtestId).toBeNull()
      expect(await store.run(modelById("nope"))).toBeUndefined()
      expect((await store.run(listModels())).map((m) => m.modelId)).toEqual([H2, N1, H1])
      expect((await store.run(listModels({ kind: "hawkes" }))).map((m) => m.modelId)).toEqual([H2, H1])
    })

    it("incremental application equals a replay from zero, and rebuild reproduces the table", async () => {
      const report = await store.run(verify(modelsProjection))
      expect(report.differences).toBe(0)
      expect(report.tables[0]!.liveRows).toBe(3)
      const before = await store.run(tableSnapshot(MODELS_TABLE))
      await store.run(rebuild(modelsProjection))
      expect(await store.run(tableSnapshot(MODELS_TABLE))).toEqual(before)
      expect(before.length).toBe(3)
      expect(await store.run(Effect.map(latestModelFitted("elonmusk", "hawkes"), (m) => m?.modelId))).toBe(H2)
    })
  })

runSuite("pglite")
runSuite("postgres")
