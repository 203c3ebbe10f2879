import { describe, expect, it } from "vitest"
import { minimizeLbfgs } from "../../../src/domain/optimize/lbfgs"

const rosenbrock = (x: Float64Array, g: Float64Array): number => {
  let f = 0
  g.fill(0)
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!
    const b = 1 - x[i]!
    f += 100 * a * a + b * b
    g[i]! += -400 * x[i]! * a - 2 * b
    g[i + 1]! += 200 * a
  }
  return f
}

describe("minimizeLbfgs", () => {
  it("finds the minimum of the 10-dimensional Rosenbrock function from the classic start", () => {
    const r = minimizeLbfgs(rosenbrock, new Float64Array(10).fill(-1.2), { gradTol: 1e-10 })
    expect(r.converged).toBe(true)
    expect(r.reason).toBe("gradient-tolerance")
    for (const v of r.x) expect(v).toBeCloseTo(1, 6)
    expect(r.f).toBeLessThan(1e-12)
  })

  it("solves an ill-conditioned quadratic exactly", () => {
    const d = [1, 10, 100, 1000, 1e4]
    const f = (x: Float64Array, g: Float64Array) => {
      let s = 0
      for (let i = 0; i < x.length; i++) {
        const e = x[i]! - (i + 1)
        s += 0.5 * d[i]! * e * e
        g[i] = d[i]! * e
      }
      return s
    }
    const r = minimizeLbfgs(f, new Float64Array(5), { gradTol: 1e-12 })
    expect(r.converged).toBe(true)
    r.x.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 8))
  })

  it("backs off from a region where the objective is not finite instead of returning NaN", () => {
    // -log(x) + x, minimum at x = 1, undefined for x <= 0: a full step from x = 0.1 overshoots into it.
    const f = (x: Float64Array, g: Float64Array) => {
      const v = x[0]!
      g[0] = -1 / v + 1
      return v > 0 ? -Math.log(v) + v : NaN
    }
    const r = minimizeLbfgs(f, [0.1], { gradTol: 1e-10 })
    expect(r.converged).toBe(true)
    expect(r.x[0]).toBeCloseTo(1, 8)
  })

  it("says why when it cannot start", () => {
    const r = minimizeLbfgs(() => NaN, [0, 0])
    expect(r.converged).toBe(false)
    expect(r.reason).toBe("non-finite-start")
  })
})
