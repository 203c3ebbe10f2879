/**
 * Maps between unconstrained optimiser coordinates and stationary (AR) / invertible (MA) polynomial
 * coefficients: Monahan (1984) via partial autocorrelations r_k = x_k / √(1 + x_k²) and the
 * Durbin–Levinson recursion (Jones 1980 parametrisation). Ported to match statsmodels'
 * `constrain_stationary_univariate` / `unconstrain_stationary_univariate` exactly, including signs:
 * AR blocks use the result as is, MA blocks use its negative (statsmodels' SARIMAX convention).
 */

/** Unconstrained x ∈ ℝⁿ → coefficients of a stationary polynomial (statsmodels' sign convention). */
export const constrainStationary = (x: ArrayLike<number>): Float64Array => {
  const n = x.length
  const out = new Float64Array(n)
  if (n === 0) return out
  // prev/cur hold rows k−1 and k of the Durbin–Levinson triangle.
  let prev = new Float64Array(n)
  let cur = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    const rk = x[k]! / Math.sqrt(1 + x[k]! * x[k]!)
    for (let i = 0; i < k; i++) cur[i] = prev[i]! + rk * prev[k - i - 1]!
    cur[k] = rk
    const t = prev
    prev = cur
    cur = t
  }
  for (let i = 0; i < n; i++) out[i] = -prev[i]!
  return out
}

/**
 * Inverse of `constrainStationary`. Returns undefined when the coefficients are not strictly
 * stationary (some partial autocorrelation has |r| ≥ 1), which doubles as the stationarity test.
 */
export const unconstrainStationary = (c: ArrayLike<number>): Float64Array | undefined => {
  const n = c.length
  const out = new Float64Array(n)
  if (n === 0) return out
  let row = new Float64Array(n)
  for (let i = 0; i < n; i++) row[i] = -c[i]!
  const r = new Float64Array(n)
  for (let k = n - 1; k >= 0; k--) {
    const rk = row[k]!
    if (!(Math.abs(rk) < 1)) return undefined
    r[k] = rk
    if (k === 0) break
    const next = new Float64Array(n)
    const denom = 1 - rk * rk
    for (let i = 0; i < k; i++) next[i] = (row[i]! - rk * row[k - i - 1]!) / denom
    row = next
  }
  for (let k = 0; k < n; k++) out[k] = r[k]! / Math.sqrt(1 - r[k]! * r[k]!)
  return out
}

/** True when 1 − Σ c_k L^k has all roots outside the unit circle (statsmodels' AR sign convention). */
export const isStationary = (c: ArrayLike<number>): boolean => unconstrainStationary(c) !== undefined

/** AR block: unconstrained → φ. */
export const constrainAr = (x: ArrayLike<number>): Float64Array => constrainStationary(x)
/** MA block: unconstrained → θ (invertible 1 + Σθ_k L^k). */
export const constrainMa = (x: ArrayLike<number>): Float64Array => constrainStationary(x).map((v) => -v)
/** φ → unconstrained, or undefined when not stationary. */
export const unconstrainAr = (phi: ArrayLike<number>): Float64Array | undefined => unconstrainStationary(phi)
/** θ → unconstrained, or undefined when not invertible. */
export const unconstrainMa = (theta: ArrayLike<number>): Float64Array | undefined =>
  unconstrainStationary(Array.from(theta, (v) => -v))

/** Jacobian ∂constrainStationary(x)_i / ∂x_j (n×n row-major), by forward differentiation of the recursion. */
export const constrainStationaryJacobian = (x: ArrayLike<number>): Float64Array => {
  const n = x.length
  const J = new Float64Array(n * n)
  const r = Float64Array.from(x, (v) => v / Math.sqrt(1 + v * v))
  const dr = Float64Array.from(x, (v) => Math.pow(1 + v * v, -1.5))
  for (let j = 0; j < n; j++) {
    let prev = new Float64Array(n)
    let dprev = new Float64Array(n)
    for (let k = 0; k < n; k++) {
      const cur = new Float64Array(n)
      const dcur = new Float64Array(n)
      const drk = k === j ? dr[k]! : 0
      for (let i = 0; i < k; i++) {
        cur[i] = prev[i]! + r[k]! * prev[k - i - 1]!
        dcur[i] = dprev[i]! + drk * prev[k - i - 1]! + r[k]! * dprev[k - i - 1]!
      }
      cur[k] = r[k]!
      dcur[k] = drk
      prev = cur
      dprev = dcur
    }
    for (let i = 0; i < n; i++) J[i * n + j] = -dprev[i]!
  }
  return J
}
