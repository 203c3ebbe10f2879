/** CountModel.fit for NB2: the hourly design of design.ts, then the ML fit of fit.ts. */
import { assertInputs, ModelFitError, type ModelInputs } from "../model"
import { HOUR_MS, toIsoUtc } from "../../time"
import { buildNbDesign, WARMUP_HOURS } from "./design"
import { fitNbRegression } from "./fit"
import type { NbFitted, NbSpec } from "./types"

export const fitNbModel = (inputs: ModelInputs, spec: NbSpec = {}): NbFitted => {
  assertInputs(inputs)
  const useExog = inputs.exogenous !== undefined && spec.exogenous !== false
  if (inputs.hourly.counts.length <= WARMUP_HOURS) {
    throw new ModelFitError({
      model: "negative_binomial",
      reason: `the window has ${inputs.hourly.counts.length} hours; the design needs more than ${WARMUP_HOURS} (168 h warm-up for the lag features)`
    })
  }
  if (spec.trainHours !== undefined && !(Number.isInteger(spec.trainHours) && spec.trainHours > 0)) {
    throw new ModelFitError({ model: "negative_binomial", reason: `trainHours must be a positive integer, got ${spec.trainHours}` })
  }
  const design = buildNbDesign(inputs.hourly, {
    ...(useExog ? { exogenous: inputs.exogenous! } : {}),
    ...(spec.trainHours !== undefined ? { rows: spec.trainHours } : {})
  })
  const r = fitNbRegression(design.X, design.y, design.columns, {
    ...(spec.alpha !== undefined ? { alpha: spec.alpha } : {}),
    ...(spec.ridge !== undefined ? { ridge: spec.ridge } : {}),
    ...(spec.tol !== undefined ? { tol: spec.tol } : {}),
    ...(spec.maxIterations !== undefined ? { maxIterations: spec.maxIterations } : {}),
    ...(spec.irlsWeights !== undefined ? { irlsWeights: spec.irlsWeights } : {})
  })
  const coefficients: Record<string, { estimate: number; se: number | null }> = {}
  design.columns.forEach((c, j) => (coefficients[c] = { estimate: r.beta[j]!, se: r.se[j] ?? null }))
  return {
    kind: "negative_binomial",
    params: {
      columns: [...design.columns],
      beta: Array.from(r.beta),
      alpha: r.alpha,
      covBeta: r.covBeta === undefined ? null : Array.from(r.covBeta),
      parameterUncertainty: spec.parameterUncertainty === true,
      warmupHours: WARMUP_HOURS
    },
    diagnostics: {
      coefficients,
      seAlpha: r.seAlpha,
      alphaEstimated: r.alphaEstimated,
      llf: r.llf,
      llfNull: r.llfNull ?? null,
      deviance: r.deviance,
      pearsonChi2: r.pearsonChi2,
      aic: r.aic,
      bic: r.bic,
      nobs: r.nobs,
      k: r.k,
      iterations: r.iterations,
      converged: r.converged,
      reason: r.reason,
      maxAbsScore: r.maxAbsScore,
      dropped: r.dropped.map((d) => ({ name: d.name, reason: d.reason })),
      separated: [...r.separated],
      warnings: [...r.warnings],
      trainingStart: toIsoUtc(design.start),
      trainingEnd: toIsoUtc(design.start + (design.n - 1) * HOUR_MS)
    }
  }
}
