/**
 * SARIMAX in state-space form, Harvey representation exactly as statsmodels builds it
 * (hamilton_representation=False, no measurement error):
 *
 *   y_t = x_tᵀβ + u_t,   Δ^d Δ_s^D u_t = w_t,   φ̃(L) w_t = c_t + θ̃(L) e_t,   e_t ~ N(0, σ²)
 *
 * ARMA block (m = max(p̃, q̃ + 1) states, p̃ = p + sP, q̃ = q + sQ):
 *   α_{t+1} = T α_t + c_t e₀ + R e_t,  T[i,0] = φ̃_{i+1}, T[i,i+1] = 1,  R = (1, θ̃_1, …, θ̃_{m−1}),
 *   w_t = α_t[0].  The trend (c_t) enters the STATE equation, the regressors the observation.
 *
 * Differencing block (r = d + sD states, only when d + D > 0): the last r values of u,
 *   u_t = Σ_j δ_j u_{t−j} + w_t, so the observation is y_t = x_tᵀβ + Σ_j δ_j u_{t−j} + α_t[0].
 * (statsmodels stores cumulated differences instead; the model and its likelihood are the same,
 * only the coordinates of the diffuse block differ.) Full state order here: [ARMA (m); u lags (r)].
 *
 * Only the data that define T, R and the differencing are stored; the filter and the simulator apply
 * T through its structure (companion + shift), never as a dense matrix, so a step costs O(m²) not O(m³).
 */
import { differencingCoefficients, expandedAr, expandedMa } from "./polynomial"

export interface SarimaxOrder {
  readonly p: number
  readonly d: number
  readonly q: number
  readonly P: number
  readonly D: number
  readonly Q: number
  readonly s: number
}

/** Natural (constrained) ARMA coefficients. */
export interface ArmaCoefficients {
  readonly ar: ArrayLike<number>
  readonly ma: ArrayLike<number>
  readonly sar: ArrayLike<number>
  readonly sma: ArrayLike<number>
}

export interface StateSpace {
  /** ARMA block dimension. */
  readonly m: number
  /** phi[i] = T[i,0] = φ̃_{i+1} (0 past p̃), length m. */
  readonly phi: Float64Array
  /** Expanded AR coefficients φ̃_1..φ̃_p̃. */
  readonly arPoly: Float64Array
  /** Expanded MA coefficients θ̃_1..θ̃_q̃. */
  readonly maPoly: Float64Array
  /** Selection vector R (length m): R[0] = 1, R[i] = θ̃_i. */
  readonly R: Float64Array
  /** Number of differencing states. */
  readonly r: number
  /** δ_1..δ_r. */
  readonly delta: Float64Array
}

export const armaStateDimension = (o: SarimaxOrder): number => Math.max(o.p + o.s * o.P, o.q + o.s * o.Q + 1)

export const buildStateSpace = (o: SarimaxOrder, c: ArmaCoefficients): StateSpace => {
  const arPoly = expandedAr(c.ar, c.sar, o.s)
  const maPoly = expandedMa(c.ma, c.sma, o.s)
  const m = Math.max(arPoly.length, maPoly.length + 1)
  const phi = new Float64Array(m)
  phi.set(arPoly)
  const R = new Float64Array(m)
  R[0] = 1
  R.set(maPoly, 1)
  const delta = differencingCoefficients(o.d, o.D, o.s)
  return { m, phi, arPoly, maPoly, R, r: delta.length, delta }
}

/** Dense (T, Z, R) of the full state [ARMA; u lags], for moments, tests and the diffuse phase. */
export const denseSystem = (ss: StateSpace): { k: number; T: Float64Array; Z: Float64Array; R: Float64Array } => {
  const { m, r } = ss
  const k = m + r
  const T = new Float64Array(k * k)
  const Z = new Float64Array(k)
  const R = new Float64Array(k)
  for (let i = 0; i < m; i++) {
    T[i * k] = ss.phi[i]!
    if (i + 1 < m) T[i * k + i + 1] = 1
    R[i] = ss.R[i]!
  }
  Z[0] = 1
  for (let j = 0; j < r; j++) Z[m + j] = ss.delta[j]!
  if (r > 0) {
    // New u lag 1 = u_t = Z α_t (the observation without regressors); then a shift register.
    for (let j = 0; j < k; j++) T[m * k + j] = Z[j]!
    for (let j = 1; j < r; j++) T[(m + j) * k + m + j - 1] = 1
  }
  return { k, T, Z, R }
}
