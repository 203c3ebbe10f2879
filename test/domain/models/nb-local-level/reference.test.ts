/**
 * nb_local_level against an independent implementation (NumPy/SciPy: test/reference/nb-local-level/
 * generate.py, vectors.json beside it) on the shared data: the data preparation (blocks, profile
 * factors), the exact log-likelihood at fixed parameters, and the maximum-likelihood estimate.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { makeKnowledge, modelInputsAsOf, recordHoursBefore } from "../../../../src/domain/features/asof"
import { fitNbLocalLevel, filterLevel, levelData, LEVEL_HISTORY_DAYS } from "../../../../src/domain/models/nb-local-level/index"
import { loadSharedTweetTimes } from "../../../support/shared-data"

interface Case {
  readonly origin: string
  readonly blocks: number
  readonly blockSum: number
  readonly factorsFirst: ReadonlyArray<number>
  readonly loglik: ReadonlyArray<{ alpha: number; size: number; value: number }>
  readonly mle: { alpha: number; size: number; loglik: number }
}

const vectors = JSON.parse(readFileSync(join(process.cwd(), "test/reference/nb-local-level/vectors.json"), "utf8")) as { cases: Case[] }
const knowledge = makeKnowledge({ tweetTimes: loadSharedTweetTimes() })

const inputsAt = (origin: number) =>
  modelInputsAsOf(knowledge, origin, { windowHours: Math.min(LEVEL_HISTORY_DAYS * 24, recordHoursBefore(knowledge, origin)) })

describe.each(vectors.cases)("nb_local_level at $origin against NumPy/SciPy", (c) => {
  const inputs = inputsAt(Date.parse(c.origin))
  const { y, factors } = levelData(inputs)

  it("builds the same daily blocks and day-of-week factors", () => {
    expect(y.length).toBe(c.blocks)
    expect(y.reduce((a, b) => a + b, 0)).toBe(c.blockSum)
    c.factorsFirst.forEach((f, i) => expect(factors[i]).toBeCloseTo(f, 12))
  })

  it("computes the exact log-likelihood at fixed parameters (1e-9 relative)", () => {
    for (const p of c.loglik) {
      const ll = filterLevel(y, factors, { alpha: p.alpha, size: p.size }).logLik
      expect(Math.abs(ll - p.value) / Math.abs(p.value)).toBeLessThan(1e-9)
    }
  })

  it("finds the maximum-likelihood estimate (log-likelihood within 1e-6, parameters within 1e-3 relative)", () => {
    const fitted = fitNbLocalLevel(inputs)
    expect(fitted.diagnostics.converged).toBe(true)
    expect(fitted.diagnostics.logLik).toBeGreaterThan(c.mle.loglik - 1e-6 * Math.abs(c.mle.loglik))
    expect(Math.abs(fitted.params.alpha - c.mle.alpha) / c.mle.alpha).toBeLessThan(1e-3)
    expect(Math.abs(fitted.params.size - c.mle.size) / c.mle.size).toBeLessThan(1e-3)
  })
})
