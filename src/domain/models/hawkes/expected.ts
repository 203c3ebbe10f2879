/**
 * Exact expected hourly counts by the intensity ODE. With y(t) = E[excitation part of λ(t)],
 *   dy/dt = −β y + αβ E[λ(t)] = −β(1−α) y + αβ μ(t),   y(0) = αβ S(origin),
 * and μ constant on each hour k, the solution over the hour is y* + (y_k − y*) e^{−κ s} with
 * κ = β(1−α), y* = α μ_k / (1−α); the expected count is ∫ (μ_k + y) = μ_k + y* + (y_k − y*)(1 − e^{−κ})/κ.
 */
export const expectedHourlyCounts = (mu: Float64Array, alpha: number, beta: number, s0: number): Float64Array => {
  const H = mu.length
  const out = new Float64Array(H)
  const kappa = beta * (1 - alpha)
  const decay = Math.exp(-kappa)
  const frac = -Math.expm1(-kappa) / kappa // (1 − e^{−κ})/κ without cancellation
  let y = alpha * beta * s0
  for (let k = 0; k < H; k++) {
    const m = mu[k]!
    const yStar = (alpha * m) / (1 - alpha)
    out[k] = m + yStar + (y - yStar) * frac
    y = yStar + (y - yStar) * decay
  }
  return out
}
