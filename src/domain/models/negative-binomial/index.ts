/**
 * Negative Binomial (NB2) regression on hourly counts: y_t ~ NB2(μ_t, α), log μ_t = x_tᵀβ,
 * Var = μ + αμ². docs/models/negative-binomial.md gives the math, estimation, assumptions and limits.
 */
import type { CountModel } from "../model"
import { forecastNb } from "./forecast"
import { fitNbModel } from "./train"
import type { NbFitted, NbSpec } from "./types"

export type { NbDiagnostics, NbFitted, NbParams, NbSpec } from "./types"
export { buildNbDesign, designColumns, NB_BASE_COLUMNS, EXOG_COLUMN, WARMUP_HOURS, type NbDesign } from "./design"
export { fitNbRegression, type NbRegressionOptions, type NbRegressionResult } from "./fit"
export { Nb2Likelihood } from "./loglik"
export { irls, type IrlsOptions, type IrlsResult } from "./irls"
export { maximizeAlpha } from "./dispersion"
export { simulateNb, type NbSimulation, type NbSimulationInput } from "./simulate"
export { fitNbModel } from "./train"
export { forecastNb } from "./forecast"

export const negativeBinomialModel: CountModel<NbSpec, NbFitted> = {
  kind: "negative_binomial",
  fit: fitNbModel,
  forecast: forecastNb
}
