/**
 * Lag polynomials of SARIMAX, as coefficient arrays c[0] + c[1] L + c[2] L² + ...
 *
 * Sign conventions (statsmodels'): the AR side is written (1 − φ₁L − … − φ_pL^p)(1 − Φ₁L^s − …),
 * the MA side (1 + θ₁L + …)(1 + Θ₁L^s + …). The "expanded" coefficients below are those of the
 * multiplied-out polynomials, which is what the state-space form consumes.
 */

/** Product of two lag polynomials. */
export const polyMul = (a: ArrayLike<number>, b: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(a.length + b.length - 1)
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!
    if (ai === 0) continue
    for (let j = 0; j < b.length; j++) out[i + j]! += ai * b[j]!
  }
  return out
}

/** Lag polynomial 1 + sign·Σ c_k L^(k·step), k = 1..len. */
const lagPolynomial = (coeffs: ArrayLike<number>, step: number, sign: 1 | -1): Float64Array => {
  const out = new Float64Array(coeffs.length * step + 1)
  out[0] = 1
  for (let k = 0; k < coeffs.length; k++) out[(k + 1) * step] = sign * coeffs[k]!
  return out
}

/**
 * Expanded AR coefficients φ̃ with (1 − Σφ_i L^i)(1 − ΣΦ_j L^{sj}) = 1 − Σ_k φ̃_k L^k.
 * Returned as φ̃_1..φ̃_{p+sP} (index k − 1).
 */
export const expandedAr = (ar: ArrayLike<number>, sar: ArrayLike<number>, s: number): Float64Array => {
  const prod = polyMul(lagPolynomial(ar, 1, -1), lagPolynomial(sar, s, -1))
  const out = new Float64Array(prod.length - 1)
  for (let k = 1; k < prod.length; k++) out[k - 1] = prod[k] === 0 ? 0 : -prod[k]!
  return out
}

/**
 * Expanded MA coefficients θ̃ with (1 + Σθ_i L^i)(1 + ΣΘ_j L^{sj}) = 1 + Σ_k θ̃_k L^k.
 * Returned as θ̃_1..θ̃_{q+sQ} (index k − 1).
 */
export const expandedMa = (ma: ArrayLike<number>, sma: ArrayLike<number>, s: number): Float64Array => {
  const prod = polyMul(lagPolynomial(ma, 1, 1), lagPolynomial(sma, s, 1))
  return prod.slice(1)
}

/**
 * Differencing as a recursion: (1 − L)^d (1 − L^s)^D u_t = w_t  ⇔  u_t = Σ_j δ_j u_{t−j} + w_t.
 * Returns δ_1..δ_r with r = d + sD (index j − 1).
 */
export const differencingCoefficients = (d: number, D: number, s: number): Float64Array => {
  let poly: Float64Array = Float64Array.of(1)
  for (let i = 0; i < d; i++) poly = polyMul(poly, [1, -1])
  for (let i = 0; i < D; i++) poly = polyMul(poly, lagPolynomial([1], s, -1))
  const out = new Float64Array(poly.length - 1)
  for (let j = 1; j < poly.length; j++) out[j - 1] = poly[j] === 0 ? 0 : -poly[j]!
  return out
}
