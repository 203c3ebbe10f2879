/**
 * The ARMA parameter block ψ = (ar, ma, sar, sma) in natural and unconstrained coordinates, and the
 * map from ψ to a filter run. Regression coefficients and σ² are not here: they are profiled out.
 */
import { kalmanFilter, type FilterData, type FilterResult } from "./kalman"
import { buildStateSpace, type ArmaCoefficients, type SarimaxOrder, type StateSpace } from "./state-space"
import { constrainAr, constrainMa, unconstrainAr, unconstrainMa } from "./transforms"

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
