/**
 * Ljung–Box portmanteau test on standardised residuals:
 *   Q = n(n+2) Σ_{k=1}^{h} ρ̂_k² / (n − k),  Q ~ χ²(h − #ARMA parameters) under white noise.
 * The χ² tail is the regularised upper incomplete gamma Q(df/2, Q/2) (series / Lentz continued
 * fraction as in Numerical Recipes §6.2), with a Lanczos log-gamma.
 */
import type { LjungBox } from "./spec"

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
]

/** log Γ(x) for x > 0 (Lanczos, g = 7; relative error ~1e-15). */
export const logGamma = (x: number): number => {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let a = 0.99999999999980993
  const t = z + 7.5
  for (let i = 0; i < 8; i++) a += LANCZOS[i]! / (z + i + 1)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

/** Regularised upper incomplete gamma Q(a, x). */
export const gammaQ = (a: number, x: number): number => {
  if (x <= 0) return 1
  const lead = -x + a * Math.log(x) - logGamma(a)
  if (x < a + 1) {
    let sum = 1 / a
    let term = sum
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break
    }
    return Math.max(0, 1 - sum * Math.exp(lead))
  }
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < 1e-16) break
  }
  return Math.exp(lead) * h
}

export const chiSquareSurvival = (x: number, df: number): number => gammaQ(df / 2, x / 2)

export const ljungBox = (resid: ArrayLike<number>, lags: number, fittedParams: number): LjungBox => {
  const n = resid.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += resid[i]!
  mean /= n
  let c0 = 0
  for (let i = 0; i < n; i++) c0 += (resid[i]! - mean) ** 2
  let q = 0
  for (let k = 1; k <= lags; k++) {
    let ck = 0
    for (let i = k; i < n; i++) ck += (resid[i]! - mean) * (resid[i - k]! - mean)
    const rho = ck / c0
    q += (rho * rho) / (n - k)
  }
  const statistic = n * (n + 2) * q
  const df = Math.max(1, lags - fittedParams)
  return { lags, df, statistic, pValue: chiSquareSurvival(statistic, df) }
}
