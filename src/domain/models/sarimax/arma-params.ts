/**
 * The ARMA parameter block ψ = (ar, ma, sar, sma) in natural and unconstrained coordinates, and the
 * map from ψ to a filter run. Regression coefficients and σ² are not here: they are profiled out.
 */
import { kalmanFilter, type FilterData, type FilterResult } from "./kalman"
import { buildStateSpace, type ArmaCoefficients, type SarimaxOrder, type StateSpace } from "./state-space"
import { constrainAr, constrainMa, constrainStationaryJacobian, unconstrainAr, unconstrainMa } from "./transforms"
import { expandedAr, expandedMa } from "./polynomial"
import type { PolyTangent } from "./lyapunov"

export const armaCount = (o: SarimaxOrder): number => o.p + o.q + o.P + o.Q

/** Splits ψ (natural, order ar, ma, sar, sma) into its blocks. */
export const splitArma = (o: SarimaxOrder, psi: ArrayLike<number>): ArmaCoefficients => {
  const a = Array.from(psi)
  return {
    ar: a.slice(0, o.p),
    ma: a.slice(o.p, o.p + o.q),
    sar: a.slice(o.p + o.q, o.p + o.q + o.P),
    sma: a.slice(o.p + o.q + o.P, o.p + o.q + o.P + o.Q)
  }
}

/** Unconstrained x → natural ψ (stationary AR blocks, invertible MA blocks). */
export const constrainArma = (o: SarimaxOrder, x: ArrayLike<number>): Float64Array => {
  const b = splitArma(o, x)
  return Float64Array.from([...constrainAr(b.ar), ...constrainMa(b.ma), ...constrainAr(b.sar), ...constrainMa(b.sma)])
}

/** Natural ψ → unconstrained x, or undefined if some block is not stationary/invertible. */
export const unconstrainArma = (o: SarimaxOrder, psi: ArrayLike<number>): Float64Array | undefined => {
  const b = splitArma(o, psi)
  const parts = [unconstrainAr(b.ar), unconstrainMa(b.ma), unconstrainAr(b.sar), unconstrainMa(b.sma)]
  if (parts.some((p) => p === undefined)) return undefined
  return Float64Array.from(parts.flatMap((p) => Array.from(p!)))
}

export const isAdmissible = (o: SarimaxOrder, psi: ArrayLike<number>): boolean => unconstrainArma(o, psi) !== undefined

export const stateSpaceAt = (o: SarimaxOrder, psi: ArrayLike<number>): StateSpace => buildStateSpace(o, splitArma(o, psi))

/** Filter run at natural ψ; undefined when ψ is not admissible or the filter breaks down. */
export const filterAt = (o: SarimaxOrder, fd: FilterData, psi: ArrayLike<number>, record = false): FilterResult | undefined =>
  kalmanFilter(stateSpaceAt(o, psi), fd, { record })

/** Diagonal of the block-diagonal Jacobian ∂ψ/∂x: one dense block per polynomial (MA blocks negated). */
export const constrainArmaJacobian = (o: SarimaxOrder, x: ArrayLike<number>): Float64Array => {
  const k = armaCount(o)
  const J = new Float64Array(k * k)
  const sizes: Array<[number, number]> = [[o.p, 1], [o.q, -1], [o.P, 1], [o.Q, -1]]
  let off = 0
  for (const [len, sign] of sizes) {
    const block = constrainStationaryJacobian(Array.from({ length: len }, (_, i) => x[off + i]!))
    for (let i = 0; i < len; i++) for (let j = 0; j < len; j++) J[(off + i) * k + off + j] = sign * block[i * len + j]!
    off += len
  }
  return J
}

/**
 * Derivatives of the expanded polynomials φ̃, θ̃ with respect to each natural parameter. Each expanded
 * coefficient is linear in any single parameter, so a central difference with unit step is exact.
 */
export const polynomialTangents = (o: SarimaxOrder, psi: ArrayLike<number>): PolyTangent[] => {
  const out: PolyTangent[] = []
  const q = Array.from(psi)
  for (let k = 0; k < q.length; k++) {
    const v = q[k]!
    q[k] = v + 1
    const up = splitArma(o, q)
    q[k] = v - 1
    const dn = splitArma(o, q)
    q[k] = v
    const arU = expandedAr(up.ar, up.sar, o.s)
    const arD = expandedAr(dn.ar, dn.sar, o.s)
    const maU = expandedMa(up.ma, up.sma, o.s)
    const maD = expandedMa(dn.ma, dn.sma, o.s)
    out.push({ dAr: arU.map((a, i) => (a - arD[i]!) / 2), dMa: maU.map((a, i) => (a - maD[i]!) / 2) })
  }
  return out
}
