/**
 * Validation against statsmodels (../shared/reference/sarimax.json): SARIMAX(1,0,1)(1,0,1,24), trend 'c',
 * weekly Fourier exog, on 672 hours of log1p counts. Tolerances are those of issue 10.
 */
import { describe, expect, it } from "vitest"
import { filterAt, stateSpaceAt } from "../../../../src/domain/models/sarimax/arma-params"
import { buildRegressors, filterData } from "../../../../src/domain/models/sarimax/design"
import { combinedState, forecastMoments } from "../../../../src/domain/models/sarimax/forecast"
import { innovations, loglikAt, loglikObs } from "../../../../src/domain/models/sarimax/likelihood"
import { fitMle } from "../../../../src/domain/models/sarimax/mle"
import { loadReference, maxRelErr, REFERENCE_ORDER as o } from "./reference"

const ref = loadReference()
const y = Float64Array.from(ref.data.y)
const exog = Float64Array.from(ref.data.exog.flat())
const fd = filterData(y, "c", 1, exog, 4)
const split = (p: number[]) => ({ b: p.slice(0, 5), psi: Float64Array.from(p.slice(5, 9)), sigma2: p[9]! })
const future = (p: number[]) => ({
  obsOffset: Float64Array.from(ref.data.future_exog, (row) => row.reduce((s, v, i) => s + v * p[1 + i]!, 0)),
  stateIntercept: new Float64Array(ref.data.future_exog.length).fill(p[0]!)
})

describe("SARIMAX Kalman filter vs statsmodels at fixed parameters", () => {
  it.each(ref.loglike_at_fixed_params.map((e) => [e.name, e] as const))("log-likelihood at %s to 1e-8 absolute", (_, e) => {
    const { b, psi, sigma2 } = split(e.params)
    const fr = filterAt(o, fd, psi)!
    expect(Math.abs(loglikAt(fr, b, sigma2) - e.llf)).toBeLessThan(1e-8)
    if (e.llf_closed_form_iid_gaussian !== undefined) expect(Math.abs(loglikAt(fr, b, sigma2) - e.llf_closed_form_iid_gaussian)).toBeLessThan(1e-8)
  })

  const mod = ref.loglike_at_fixed_params.find((e) => e.name === "moderate")!
  const { b, psi, sigma2 } = split(mod.params)
  const fr = filterAt(o, fd, psi, true)!

  it("moderate: per-observation log-likelihood to 1e-9 relative", () => {
    expect(maxRelErr(loglikObs(fr, b, sigma2), mod.llf_obs!)).toBeLessThan(1e-9)
  })

  it("moderate: one-step predictions to 1e-9 relative", () => {
    const v = innovations(fr, b)
    const pred = Array.from({ length: 24 }, (_, t) => y[t]! - v[t]!)
    expect(maxRelErr(pred, mod.one_step_pred_mean_first24!)).toBeLessThan(1e-9)
  })

  it("moderate: initial state mean and covariance diagonal to 1e-9 relative", () => {
    const m = 26
    const a = Array.from({ length: m }, (_, i) => {
      let s = fr.initialMean![i]!
      for (let c = 1; c < fr.cols; c++) s -= b[c - 1]! * fr.initialMean![c * m + i]!
      return s
    })
    // Entries that are exactly 0 in statsmodels must be 0 here too; the rest to 1e-9 relative.
    mod.initial_state_mean!.forEach((want, i) => {
      if (want === 0) expect(a[i]).toBe(0)
      else expect(Math.abs(a[i]! - want) / Math.abs(want)).toBeLessThan(1e-9)
    })
    const diag = Array.from({ length: m }, (_, i) => sigma2 * fr.initialCov![i * m + i]!)
    expect(maxRelErr(diag, mod.initial_state_cov_diag!)).toBeLessThan(1e-9)
  })

  it("moderate: 24-step forecast mean and variance to 1e-9 relative", () => {
    const ss = stateSpaceAt(o, psi)
    const fc = forecastMoments(ss, combinedState(fr, b, ss.m, ss.r), sigma2, future(mod.params))
    expect(maxRelErr(fc.mean, mod.forecast24_mean!)).toBeLessThan(1e-9)
    expect(maxRelErr(fc.variance, mod.forecast24_var!)).toBeLessThan(1e-9)
  })

  it("first 24 forecast means at statsmodels' MLE parameters to 1e-8 relative", () => {
    const p = split(ref.mle.params)
    const ss = stateSpaceAt(o, p.psi)
    const f = filterAt(o, fd, p.psi)!
    const fc = forecastMoments(ss, combinedState(f, p.b, ss.m, ss.r), p.sigma2, future(ref.mle.params))
    expect(maxRelErr(fc.mean, ref.forecast.mean)).toBeLessThan(1e-8)
    expect(maxRelErr(fc.variance, ref.forecast.var)).toBeLessThan(1e-8)
  })

  it("hour-of-week Fourier regressors equal the reference exog (window starts Monday 00:00 UTC)", () => {
    const regs = buildRegressors(Date.parse(ref.data.timestamps_start_utc), 672 + 24, 2, undefined)
    const want = [...ref.data.exog, ...ref.data.future_exog].flat()
    let worst = 0
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(regs.values[i]! - want[i]!))
    expect(worst).toBeLessThan(1e-12)
  })
})

describe("SARIMAX MLE vs statsmodels", () => {
  const res = fitMle(o, fd, { maxIterations: 200, gradTol: 1e-8 })
  const est = [...res.b, ...res.psi, res.sigma2]

  it("reaches statsmodels' best log-likelihood (no lower than best − 1e-6) and converges", () => {
    expect(res.converged).toBe(true)
    expect(res.loglik).toBeGreaterThanOrEqual(ref.mle.llf - 1e-6)
  })

  it("parameters within 1e-2 relative of statsmodels' MLE", () => {
    expect(maxRelErr(est, ref.mle.params)).toBeLessThan(1e-2)
  })

  it("AIC and BIC use k = 10 and n = 672 like statsmodels", () => {
    const aic = -2 * res.loglik + 2 * 10
    const bic = -2 * res.loglik + 10 * Math.log(res.nObs)
    expect(Math.abs(aic - ref.mle.aic)).toBeLessThan(1e-5)
    expect(Math.abs(bic - ref.mle.bic)).toBeLessThan(1e-5)
  })

  it("standard errors from the Hessian are finite, positive and of the order of statsmodels' OPG ones", () => {
    expect(res.standardErrors.every((s) => s !== null && s > 0)).toBe(true)
    // statsmodels reports OPG SEs (a different estimator); they agree within a factor of 2 here.
    const opg = ref.mle.bse_opg_statsmodels_default
    res.standardErrors.forEach((s, i) => {
      expect(s! / opg[i]!).toBeGreaterThan(0.5)
      expect(s! / opg[i]!).toBeLessThan(2)
    })
  })
})
