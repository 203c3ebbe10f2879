/**
 * The relative-reduction stop that SARIMAX relies on when the likelihood's supremum is at infinity in the
 * optimiser's coordinates (minimizeLbfgs's optional `stepTol`, default unchanged).
 */
import { describe, expect, it } from "vitest"
import { minimizeLbfgs } from "../../../../src/domain/optimize/lbfgs"

// Infimum 1 approached as x → ∞; the gradient tends to 0 only exponentially slowly in f-resolution terms.
const objective = (x: Float64Array, g: Float64Array): number => {
  g[0] = -1 / (1 + x[0]! * x[0]!) // f = 1 + π/2 − atan(x)
  return 1 + Math.PI / 2 - Math.atan(x[0]!)
}

describe("L-BFGS relative-reduction stop", () => {
  it("with stepTol = ∞ stops on 'function-tolerance' once f stops decreasing in relative terms", () => {
    const r = minimizeLbfgs(objective, [0], { gradTol: 1e-300, fTol: 1e-13, stepTol: Number.POSITIVE_INFINITY, maxIterations: 5000 })
    expect(r.reason).toBe("function-tolerance")
    expect(r.converged).toBe(true)
    expect(r.f - 1).toBeLessThan(1e-6)
  })

  it("the default keeps the old behaviour (needs a tiny step as well), so it does not stop that way here", () => {
    const r = minimizeLbfgs(objective, [0], { gradTol: 1e-300, fTol: 1e-13, maxIterations: 200 })
    expect(r.reason).not.toBe("function-tolerance")
  })
})
