import { describe, expect, it } from "vitest"
import { filterAt, stateSpaceAt, polynomialTangents } from "../../../../src/domain/models/sarimax/arma-params"
import { filterData, trendValue } from "../../../../src/domain/models/sarimax/design"
import { loglikGradient } from "../../../../src/domain/models/sarimax/gradient"
import { kalmanFilter } from "../../../../src/domain/models/sarimax/kalman"
import { loglikAt, profileLoglik } from "../../../../src/domain/models/sarimax/likelihood"
import { armaAutocovariance, stationaryCovariance, stationaryCovarianceDual, stationaryMean } from "../../../../src/domain/models/sarimax/lyapunov"
import { combinedState } from "../../../../src/domain/models/sarimax/forecast"
import { difference } from "../../../../src/domain/models/sarimax/starting-values"
import { Rng } from "../../../../src/domain/random"
import { lyapunovByDoubling, naiveKalman, naiveSystem, simulateArma } from "./helpers"

const seasonal = { p: 2, d: 0, q: 1, P: 1, D: 0, Q: 2, s: 12 }
const seasonalPsi = [0.4, -0.2, 0.3, 0.5, -0.4, 0.2]

describe("stationary initialisation (structured Lyapunov solve)", () => {
  it("AR(1) and ARMA(1,1) variances in closed form", () => {
    const ar1 = armaAutocovariance(Float64Array.of(0.7), new Float64Array(0), 2)!.gamma
    expect(ar1[0]).toBeCloseTo(1 / (1 - 0.49), 13)
    expect(ar1[1]).toBeCloseTo(0.7 / (1 - 0.49), 13)
    const g = armaAutocovariance(Float64Array.of(0.5), Float64Array.of(0.4), 1)!.gamma
    expect(g[0]).toBeCloseTo((1 + 2 * 0.5 * 0.4 + 0.16) / (1 - 0.25), 13)
  })

  it.each([
    ["(1,0,1)(1,0,1,24)", { p: 1, d: 0, q: 1, P: 1, D: 0, Q: 1, s: 24 }, [0.5, -0.2, 0.6, -0.3]],
    ["(2,0,1)(1,0,2,12)", seasonal, seasonalPsi],
    ["(1,0,1)(1,0,1,24) near-cancelling", { p: 1, d: 0, q: 1, P: 1, D: 0, Q: 1, s: 24 }, [0.1, 0.2, 0.95, -0.93]]
  ] as const)("%s equals Smith's doubling solution of P = T P Tᵀ + R Rᵀ", (_, o, psi) => {
    const ss = stateSpaceAt(o, psi)
    const P = stationaryCovariance(ss)!
    const { T, R, m } = naiveSystem(ss.arPoly, ss.maPoly)
    const D = lyapunovByDoubling(T, R)
    let worst = 0
    let scale = 0
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        worst = Math.max(worst, Math.abs(P[i * m + j]! - D[i]![j]!))
        scale = Math.max(scale, Math.abs(D[i]![j]!))
      }
    expect(worst / scale).toBeLessThan(1e-10)
  })

  it("derivatives of P₁ with respect to ψ match central differences", () => {
    const ss = stateSpaceAt(seasonal, seasonalPsi)
    const dual = stationaryCovarianceDual(ss, polynomialTangents(seasonal, seasonalPsi))!
    seasonalPsi.forEach((_, k) => {
      const h = 1e-6
      const up = stationaryCovariance(stateSpaceAt(seasonal, seasonalPsi.map((v, i) => (i === k ? v + h : v))))!
      const dn = stationaryCovariance(stateSpaceAt(seasonal, seasonalPsi.map((v, i) => (i === k ? v - h : v))))!
      for (let i = 0; i < up.length; i++) expect(dual.dP[k]![i]!).toBeCloseTo((up[i]! - dn[i]!) / (2 * h), 6)
    })
  })

  it("stationary mean solves (I − T) a = c e₀", () => {
    const ss = stateSpaceAt(seasonal, seasonalPsi)
    const a = stationaryMean(ss, 0.7)
    const { T, m } = naiveSystem(ss.arPoly, ss.maPoly)
    for (let i = 0; i < m; i++) {
      const Ta = T[i]!.reduce((s, v, j) => s + v * a[j]!, 0)
      expect(a[i]! - Ta).toBeCloseTo(i === 0 ? 0.7 : 0, 13)
    }
  })

  it("a non-stationary AR polynomial is rejected", () => {
    expect(stationaryCovariance(stateSpaceAt({ p: 1, d: 0, q: 0, P: 0, D: 0, Q: 0, s: 0 }, [1.2]))).toBeUndefined()
  })
})

describe("fast Kalman filter vs a plain dense filter", () => {
  const n = 400
  const ss = stateSpaceAt(seasonal, seasonalPsi)
  const w = simulateArma(Array.from(ss.arPoly), Array.from(ss.maPoly), 0.8, n, 11)
  const rng = Rng.seeded(3)
  const kx = 2
  const X = Float64Array.from({ length: n * kx }, () => rng.normal())
  const b = [0.05, 0.001, 0.3, -0.2] // intercept, drift ('ct'), then two regressors
  const sigma2 = 0.64
  const offset = 5
  const obs = Float64Array.from({ length: n }, (_, t) => b[2]! * X[t * kx]! + b[3]! * X[t * kx + 1]!)
  const icpt = Float64Array.from({ length: n }, (_, t) => b[0]! * trendValue("ct", 0, t, offset) + b[1]! * trendValue("ct", 1, t, offset))
  const y = Float64Array.from(w, (v, t) => v + obs[t]! + 1)

  it("log-likelihood and final predicted state agree (trend 'ct', two regressors)", () => {
    const fd = filterData(y, "ct", offset, X, kx)
    const fr = kalmanFilter(ss, fd)!
    const { T, R } = naiveSystem(ss.arPoly, ss.maPoly)
    const a1 = Array.from(stationaryMean(ss, icpt[0]!))
    const P1 = lyapunovByDoubling(T, R)
    const ref = naiveKalman(T, R, sigma2, y, obs, icpt, a1, P1)
    expect(loglikAt(fr, b, sigma2)).toBeCloseTo(ref.ll, 8)
    const st = combinedState(fr, b, ss.m, ss.r)
    for (let i = 0; i < ss.m; i++) {
      expect(st.a[i]!).toBeCloseTo(ref.a[i]!, 9)
      for (let j = 0; j < ss.m; j++) expect(sigma2 * st.P[i * ss.m + j]!).toBeCloseTo(ref.P[i]![j]!, 9)
    }
  })

  it("the profiled (b̂, σ̂²) maximise the full likelihood", () => {
    const fd = filterData(y, "ct", offset, X, kx)
    const fr = kalmanFilter(ss, fd)!
    const pr = profileLoglik(fr)!
    expect(loglikAt(fr, pr.b, pr.sigma2)).toBeCloseTo(pr.loglik, 9)
    for (const [k, d] of [[0, 1e-3], [2, 1e-3], [3, -1e-3]] as const) {
      const bb = Array.from(pr.b)
      bb[k]! += d
      expect(loglikAt(fr, bb, pr.sigma2)).toBeLessThan(pr.loglik)
    }
    expect(loglikAt(fr, pr.b, pr.sigma2 * 1.01)).toBeLessThan(pr.loglik)
  })

  it("adjoint gradient matches 5-point central differences of ℓ", () => {
    const fd = filterData(y, "ct", offset, X, kx)
    const fr = kalmanFilter(ss, fd, { record: true })!
    const g = loglikGradient(seasonal, fd, fr, ss, Float64Array.from(seasonalPsi), b, sigma2)!
    seasonalPsi.forEach((_, k) => {
      const h = 1e-4
      const at = (s: number) => loglikAt(filterAt(seasonal, fd, seasonalPsi.map((v, i) => (i === k ? v + s * h : v)))!, b, sigma2)
      const num = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * h)
      expect(Math.abs(g[k]! - num)).toBeLessThan(1e-5 * Math.max(1, Math.abs(num)))
    })
  })
})

describe("exact diffuse initialisation for d, D > 0", () => {
  const y = simulateArma([0.5], [0.3], 1, 300, 5)
  for (let t = 1; t < y.length; t++) y[t]! += y[t - 1]! // integrate once

  it("random walk with drift: ℓ = −½ log 2π + Σ N(Δy_t; c, σ²)", () => {
    const o = { p: 0, d: 1, q: 0, P: 0, D: 0, Q: 0, s: 0 }
    const fr = filterAt(o, filterData(y, "c", 1, new Float64Array(0), 0), [], true)!
    const c = 0.05
    const s2 = 1.3
    let ll = -0.5 * Math.log(2 * Math.PI)
    for (let t = 1; t < y.length; t++) {
      const e = y[t]! - y[t - 1]! - c
      ll += -0.5 * (Math.log(2 * Math.PI * s2) + (e * e) / s2)
    }
    expect(fr.nDiffuse).toBe(1)
    expect(loglikAt(fr, [c], s2)).toBeCloseTo(ll, 9)
  })

  it.each([
    [1, 0, 0],
    [0, 1, 4],
    [1, 1, 4]
  ])("d=%i, D=%i, s=%i: diffuse ℓ = constant + stationary ℓ of the differenced series and regressors", (d, D, s) => {
    const o = { p: 1, d, q: 1, P: 0, D, Q: s > 0 ? 1 : 0, s }
    const psi = s > 0 ? [0.4, -0.2, -0.5] : [0.4, -0.2]
    const rng = Rng.seeded(9)
    const X = Float64Array.from({ length: y.length }, () => rng.normal())
    const b = [0.3]
    const fr = filterAt(o, filterData(y, "n", 1, X, 1), psi, true)!
    const w = difference(y, d, D, s)
    const xw = difference(X, d, D, s)
    const fr0 = filterAt({ ...o, d: 0, D: 0 }, filterData(w, "n", 1, xw, 1), psi)!
    const constant = -0.5 * (fr.nDiffuse * Math.log(2 * Math.PI) + fr.sumLogFinf)
    expect(fr.nDiffuse).toBe(d + s * D)
    expect(loglikAt(fr, b, 0.9) - constant).toBeCloseTo(loglikAt(fr0, b, 0.9), 8)
  })
})
