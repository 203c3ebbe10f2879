/** Shared test helpers: the statsmodels reference vectors and relative-error measures. */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { SHARED_REFERENCE } from "../../../support/shared-data"

export interface NbReference {
  readonly data: {
    readonly timestamps_utc: string[]
    readonly y: number[]
    readonly counts_prior_168h: number[]
    readonly columns: string[]
    readonly X: number[][]
  }
  readonly nb2_mle: {
    readonly beta: number[]
    readonly alpha: number
    readonly params: number[]
    readonly llf: number
    readonly bse: number[]
    readonly aic: number
    readonly bic: number
    readonly llf_null: number
    readonly fitted_mu_first24: number[]
  }
  readonly nb2_loglike_at_fixed_params: ReadonlyArray<{ readonly name: string; readonly params: number[]; readonly llf: number; readonly score: number[] }>
  readonly glm_nb_irls: {
    readonly alpha_fixed: number
    readonly params: number[]
    readonly llf: number
    readonly deviance: number
    readonly pearson_chi2: number
  }
}

export const loadReference = (): NbReference => JSON.parse(readFileSync(join(SHARED_REFERENCE, "nb2-glm.json"), "utf8")) as NbReference

/** |a − b| / |b|. */
export const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b)

/** Largest element-wise relative error. */
export const maxRelErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < b.length; i++) m = Math.max(m, relErr(a[i]!, b[i]!))
  return m
}

/** Vector-relative error max|a − b| / max|b| (for vectors with components near zero). */
export const vecRelErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0
  let s = 0
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!))
    s = Math.max(s, Math.abs(b[i]!))
  }
  return d / s
}

/** created_at (epoch ms, ascending) of every tweet in the shared dev CSV. */
export { loadSharedTweetTimes as loadTweetTimes } from "../../../support/shared-data"
