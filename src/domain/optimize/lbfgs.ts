/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4/7.5) with a
 * strong-Wolfe line search (Alg. 3.5/3.6, cubic interpolation in the zoom). Minimises; callers that
 * maximise a log-likelihood pass its negative. Shared by every model that needs a quasi-Newton fit.
 *
 * Non-finite objective values are treated as "too far": the line search backs off instead of
 * accepting them, and the run stops with a reason rather than returning NaN.
 */

/** Objective: returns f(x) and writes the gradient into `grad`. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number

export interface LbfgsOptions {
  /** History size (pairs kept). */
  readonly memory?: number
  readonly maxIterations?: number
  /** Stop when max |g_i| <= gradTol * max(1, |f|). */
  readonly gradTol?: number
  /** Stop when the relative decrease of f over one iteration is below this (and the step is tiny). */
  readonly fTol?: number
  /**
   * "Tiny step" for the fTol test: max |s_i| <= stepTol * max(1, max |x_i|). Default 1e-12. Infinity makes
   * fTol a pure relative-reduction test (scipy's factr), for objectives whose supremum lies at infinity.
   */
  readonly stepTol?: number
  readonly maxEvaluations?: number
}

export type LbfgsStopReason =
  | "gradient-tolerance"
  | "function-tolerance"
  | "max-iterations"
  | "max-evaluations"
  | "line-search-failed"
  | "non-finite-start"

export interface LbfgsResult {
  readonly x: Float64Array
  readonly f: number
  readonly grad: Float64Array
  readonly gradNorm: number
  readonly iterations: number
  readonly evaluations: number
  readonly converged: boolean
  readonly reason: LbfgsStopReason
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}
const maxAbs = (a: Float64Array): number => {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!))
  return m
}

export const minimizeLbfgs = (objective: ObjectiveWithGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult => {
  const n = x0.length
  const m = options.memory ?? 10
  const maxIter = options.maxIterations ?? 500
  const gradTol = options.gradTol ?? 1e-8
  const fTol = options.fTol ?? 1e-15
  const stepTol = options.stepTol ?? 1e-12
  const maxEval = options.maxEvaluations ?? 20 * maxIter
  let evaluations = 0

  let x = Float64Array.from(x0)
  let g = new Float64Array(n)
  let f = objective(x, g)
  evaluations++
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) {
    return { x, f, grad: g, gradNorm: NaN, iterations: 0, evaluations, converged: false, reason: "non-finite-start" }
  }

  const S: Float64Array[] = []
  const Y: Float64Array[] = []
  const rho: number[] = []
  const d = new Float64Array(n)
  const alphaBuf = new Float64Array(m)
  let iter = 0
  let reason: LbfgsStopReason = "max-iterations"

  const xNew = new Float64Array(n)
  const gNew = new Float64Array(n)
  // Evaluate at x + t d into xNew/gNew.
  const phi = (t: number): number => {
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + t * d[i]!
    evaluations++
    const v = objective(xNew, gNew)
    return Number.isFinite(v) && gNew.every(Number.isFinite) ? v : Number.POSITIVE_INFINITY
  }

  while (iter < maxIter) {
    if (maxAbs(g) <= gradTol * Math.max(1, Math.abs(f))) {
      reason = "gradient-tolerance"
      break
    }
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!
    const k = S.length
    for (let j = k - 1; j >= 0; j--) {
      const a = rho[j]! * dot(S[j]!, d)
      alphaBuf[j] = a
      const y = Y[j]!
      for (let i = 0; i < n; i++) d[i]! -= a * y[i]!
    }
    if (k > 0) {
      const gamma = dot(S[k - 1]!, Y[k - 1]!) / dot(Y[k - 1]!, Y[k - 1]!)
      for (let i = 0; i < n; i++) d[i]! *= gamma
    }
    for (let j = 0; j < k; j++) {
      const b = rho[j]! * dot(Y[j]!, d)
      const s = S[j]!
      const a = alphaBuf[j]!
      for (let i = 0; i < n; i++) d[i]! += (a - b) * s[i]!
    }
    let dg = dot(d, g)
    if (!(dg < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      S.length = 0
      Y.length = 0
      rho.length = 0
      for (let i = 0; i < n; i++) d[i] = -g[i]!
      dg = dot(d, g)
    }
    const t0 = k === 0 ? Math.min(1, 1 / Math.max(1e-12, maxAbs(g))) : 1
    const ls = strongWolfe(phi, () => dot(gNew, d), f, dg, t0)
    if (ls === undefined) {
      if (S.length > 0) {
        // One retry along steepest descent before giving up.
        S.length = 0
        Y.length = 0
        rho.length = 0
        continue
      }
      reason = "line-search-failed"
      break
    }
    // xNew/gNew hold the accepted point (strongWolfe's last evaluation is the accepted one).
    const s = new Float64Array(n)
    const y = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!
      y[i] = gNew[i]! - g[i]!
    }
    const fPrev = f
    x = Float64Array.from(xNew)
    g = Float64Array.from(gNew)
    f = ls.f
    iter++
    const sy = dot(s, y)
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift()
        Y.shift()
        rho.shift()
      }
      S.push(s)
      Y.push(y)
      rho.push(1 / sy)
    }
    if (Math.abs(fPrev - f) <= fTol * Math.max(1, Math.abs(f)) && maxAbs(s) <= stepTol * Math.max(1, maxAbs(x))) {
      reason = "function-tolerance"
      break
    }
    if (evaluations >= maxEval) {
      reason = "max-evaluations"
      break
    }
  }
  const gradNorm = maxAbs(g)
  const converged = reason === "gradient-tolerance" || reason === "function-tolerance"
  return { x, f, grad: g, gradNorm, iterations: iter, evaluations, converged, reason }
}

/**
 * Strong-Wolfe line search. `phi(t)` evaluates the objective at x + t d (leaving the point and its
 * gradient in the caller's buffers); `dphi()` returns the directional derivative at that last point.
 * Returns the accepted step with the buffers holding the accepted point, or undefined.
 */
const strongWolfe = (
  phi: (t: number) => number,
  dphi: () => number,
  f0: number,
  g0: number,
  tInit: number,
  c1 = 1e-4,
  c2 = 0.9
): { t: number; f: number } | undefined => {
  let tPrev = 0
  let fPrev = f0
  let gPrev = g0
  let t = tInit
  for (let i = 0; i < 40; i++) {
    const ft = phi(t)
    if (!Number.isFinite(ft)) {
      t = tPrev + (t - tPrev) * 0.1
      continue
    }
    if (ft > f0 + c1 * t * g0 || (i > 0 && ft >= fPrev)) return zoom(phi, dphi, f0, g0, tPrev, fPrev, gPrev, t, ft, c1, c2)
    const gt = dphi()
    if (Math.abs(gt) <= -c2 * g0) return { t, f: ft }
    if (gt >= 0) return zoom(phi, dphi, f0, g0, t, ft, gt, tPrev, fPrev, c1, c2)
    tPrev = t
    fPrev = ft
    gPrev = gt
    t = t * 2
  }
  return undefined
}

const zoom = (
  phi: (t: number) => number,
  dphi: () => number,
  f0: number,
  g0: number,
  tLo: number,
  fLo: number,
  gLo: number,
  tHi: number,
  fHi: number,
  c1: number,
  c2: number
): { t: number; f: number } | undefined => {
  for (let i = 0; i < 60; i++) {
    // Quadratic interpolation through (tLo, fLo, gLo) and (tHi, fHi), safeguarded to the interior.
    const dt = tHi - tLo
    let t = tLo - (gLo * dt * dt) / (2 * (fHi - fLo - gLo * dt))
    const lo = Math.min(tLo, tHi)
    const hi = Math.max(tLo, tHi)
    if (!Number.isFinite(t) || t <= lo + 0.1 * (hi - lo) || t >= hi - 0.1 * (hi - lo)) t = 0.5 * (tLo + tHi)
    const ft = phi(t)
    if (!Number.isFinite(ft) || ft > f0 + c1 * t * g0 || ft >= fLo) {
      tHi = t
      fHi = Number.isFinite(ft) ? ft : Number.POSITIVE_INFINITY
      if (!Number.isFinite(fHi)) fHi = fLo + Math.abs(fLo) + 1
    } else {
      const gt = dphi()
      if (Math.abs(gt) <= -c2 * g0) return { t, f: ft }
      if (gt * (tHi - tLo) >= 0) {
        tHi = tLo
        fHi = fLo
      }
      tLo = t
      fLo = ft
      gLo = gt
    }
    if (Math.abs(tHi - tLo) < 1e-16 * Math.max(1, Math.abs(tLo))) break
  }
  // Accept the best sufficient-decrease point found, if it decreased f at all.
  if (tLo > 0 && fLo < f0) {
    const f = phi(tLo)
    return { t: tLo, f }
  }
  return undefined
}
