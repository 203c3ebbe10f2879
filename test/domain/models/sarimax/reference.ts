/** Loads ../shared/reference/sarimax.json (statsmodels 0.13.5 vectors) relative to the project root. */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { SHARED_REFERENCE } from "../../../support/shared-data"

export interface SarimaxReference {
  data: { y: number[]; counts: number[]; exog: number[][]; future_exog: number[][]; timestamps_start_utc: string }
  loglike_at_fixed_params: Array<{
    name: string
    params: number[]
    llf: number
    llf_closed_form_iid_gaussian?: number
    llf_obs?: number[]
    one_step_pred_mean_first24?: number[]
    initial_state_mean?: number[]
    initial_state_cov_diag?: number[]
    forecast24_mean?: number[]
    forecast24_var?: number[]
  }>
  mle: { params: number[]; llf: number; aic: number; bic: number; bse_opg_statsmodels_default: number[] }
  forecast: { mean: number[]; var: number[] }
}

export const loadReference = (): SarimaxReference =>
  JSON.parse(readFileSync(join(SHARED_REFERENCE, "sarimax.json"), "utf8")) as SarimaxReference

export const REFERENCE_ORDER = { p: 1, d: 0, q: 1, P: 1, D: 0, Q: 1, s: 24 } as const

export const maxRelErr = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i]! - want[i]!) / Math.abs(want[i]!))
  return m
}
