/**
 * Standard errors from the numerical Hessian of the full log-likelihood ℓ(b, ψ, σ²) in natural
 * parameters, SE = √diag((−H)⁻¹).
 *
 * One filter run at ψ gives ℓ for every (b, σ²) in closed form, so only the ψ directions need
 * finite differences: the (b, σ²) block is analytic, the ψ–(b, σ²) block differences the analytic
 * gradient, and the ψψ block uses central second differences — 1 + 2k + 4·k(k−1)/2 runs for k ARMA
 * parameters instead of O((k + #b)²). Steps shrink when they would leave the stationary/invertible region.
 */
import { filterAt, isAdmissible } from "./arma-params"
import type { FilterData } from "./kalman"
import { loglikAt, regressionGradient, regressionHessian } from "./likelihood"
import type { SarimaxOrder } from "./state-space"
import { invertSpd } from "../../stats/linalg"

export { invertSpd }

/** Full Hessian in the order (b, ψ, σ²), or undefined if a filter run fails. */
export const naturalHessian = (
  o: SarimaxOrder,
  fd: FilterData,
  psi: Float64Array,
  b: Float64Array,
  sigma2: number
): Float64Array | undefined => {
  const kb = b.length
  const kp = psi.length
  const dim = kb + kp + 1
  const H = new Float64Array(dim * dim)
  const idxRho = (i: number): number => (i < kb ? i : kb + kp) // (b…, σ²) → full index
  const f0r = filterAt(o, fd, psi)
  if (f0r === undefined) return undefined
  const Hr = regressionHessian(f0r, b, sigma2)
  for (let i = 0; i <= kb; i++) for (let j = 0; j <= kb; j++) H[idxRho(i) * dim + idxRho(j)] = Hr[i * (kb + 1) + j]!
  if (kp === 0) return H
  const f0 = loglikAt(f0r, b, sigma2)

  // Steps: relative, shrunk until every ±h (and ±h_i ± h_j) point is admissible.
  const h = new Float64Array(kp)
  const at = (di: number, si: number, dj: number, sj: number): Float64Array => {
    const q = Float64Array.from(psi)
    if (di >= 0) q[di]! += si * h[di]!
    if (dj >= 0) q[dj]! += sj * h[dj]!
    return q
  }
  for (let i = 0; i < kp; i++) h[i] = 1e-4 * Math.max(Math.abs(psi[i]!), 0.1)
  for (let iter = 0; iter < 40; iter++) {
    let ok = true
    for (let i = 0; i < kp && ok; i++)
      for (let j = i; j < kp && ok; j++)
        for (const si of [1, -1]) for (const sj of [1, -1]) if (!isAdmissible(o, at(i, si, i === j ? -1 : j, sj))) ok = false
    if (ok) break
    for (let i = 0; i < kp; i++) h[i]! *= 0.5
  }
  const llAt = (q: Float64Array): { ll: number; g: Float64Array } | undefined => {
    const fr = filterAt(o, fd, q)
    return fr === undefined ? undefined : { ll: loglikAt(fr, b, sigma2), g: regressionGradient(fr, b, sigma2) }
  }
  const plus: Array<{ ll: number; g: Float64Array }> = []
  const minus: Array<{ ll: number; g: Float64Array }> = []
  for (let i = 0; i < kp; i++) {
    const p = llAt(at(i, 1, -1, 0))
    const m = llAt(at(i, -1, -1, 0))
    if (p === undefined || m === undefined) return undefined
    plus.push(p)
    minus.push(m)
    const fi = kb + i
    H[fi * dim + fi] = (p.ll - 2 * f0 + m.ll) / (h[i]! * h[i]!)
    for (let j = 0; j <= kb; j++) {
      const v = (p.g[j]! - m.g[j]!) / (2 * h[i]!)
      H[fi * dim + idxRho(j)] = v
      H[idxRho(j) * dim + fi] = v
    }
  }
  for (let i = 0; i < kp; i++)
    for (let j = i + 1; j < kp; j++) {
      const pp = llAt(at(i, 1, j, 1))
      const pm = llAt(at(i, 1, j, -1))
      const mp = llAt(at(i, -1, j, 1))
      const mm = llAt(at(i, -1, j, -1))
      if (!pp || !pm || !mp || !mm) return undefined
      const v = (pp.ll - pm.ll - mp.ll + mm.ll) / (4 * h[i]! * h[j]!)
      H[(kb + i) * dim + kb + j] = v
      H[(kb + j) * dim + kb + i] = v
    }
  return H
}

/** SEs in the order (b, ψ, σ²); all null when −H is not positive definite. */
export const naturalHessianSe = (
  o: SarimaxOrder,
  fd: FilterData,
  psi: Float64Array,
  b: Float64Array,
  sigma2: number
): Array<number | null> => {
  const dim = b.length + psi.length + 1
  const H = naturalHessian(o, fd, psi, b, sigma2)
  if (H === undefined) return new Array<number | null>(dim).fill(null)
  const negH = H.map((v) => -v)
  const inv = invertSpd(negH, dim)
  if (inv === undefined) return new Array<number | null>(dim).fill(null)
  return Array.from({ length: dim }, (_, i) => (inv[i * dim + i]! > 0 ? Math.sqrt(inv[i * dim + i]!) : null))
}
