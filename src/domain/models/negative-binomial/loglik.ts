/**
 * NB2 log-likelihood, score and observed Hessian in (β, α), as statsmodels' NegativeBinomial(loglike_method="nb2"):
 *
 *   ℓ_i = lnΓ(y+r) − lnΓ(r) − lnΓ(y+1) − r·log(1+αμ) + y·log(αμ/(1+αμ)),   r = 1/α,  log μ = η = xᵀβ (+ offset)
 *
 * Per observation, with L = log(1+αμ), D = ψ(y+r) − ψ(r), T = ψ'(y+r) − ψ'(r):
 *   ∂ℓ/∂η   = (y−μ)/(1+αμ)
 *   ∂ℓ/∂α   = (L − D)/α² + (y−μ)/(α(1+αμ))
 *   ∂²ℓ/∂η² = −μ(1+αy)/(1+αμ)²
 *   ∂²ℓ/∂η∂α = −(y−μ)μ/(1+αμ)²
 *   ∂²ℓ/∂α² = −2(L − D)/α³ + (μ/(1+αμ) + T/α²)/α² − (y−μ)(1+2αμ)/(α²(1+αμ)²)
 * α = 0 is the Poisson GLM: ℓ_i = yη − μ − lnΓ(y+1).
 *
 * The Γ-function differences are exact finite sums for integer counts (lnΓ(y+r)−lnΓ(r) = Σ_{k<y} log(r+k),
 * and likewise for ψ and ψ'): they do not cancel when r = 1/α is large, and Nb2Likelihood tabulates them
 * once per α value for y = 0..max(y), so an evaluation costs one log1p per observation. Non-integer or
 * very large counts use the special functions.
 */
import { logFactorial } from "../../random"
import { digamma, lgamma, trigamma } from "../../stats/special"
import { csrMulVec, csrTMulVec, type CsrMatrix } from "./sparse"

const SUM_MAX = 64
const isSmallCount = (y: number): boolean => y <= SUM_MAX && Number.isInteger(y)
/** Largest count tabulated per α (beyond it, or for non-integer counts, the special functions are used). */
const TABLE_MAX = 4096

/** lnΓ(y+r) − lnΓ(r). */
export const lgammaRatio = (y: number, r: number): number => {
  if (y === 0) return 0
  if (isSmallCount(y)) {
    let s = 0
    for (let k = 0; k < y; k++) s += Math.log(r + k)
    return s
  }
  return lgamma(y + r) - lgamma(r)
}

/** ψ(y+r) − ψ(r). */
export const digammaDiff = (y: number, r: number): number => {
  if (y === 0) return 0
  if (isSmallCount(y)) {
    let s = 0
    for (let k = 0; k < y; k++) s += 1 / (r + k)
    return s
  }
  return digamma(y + r) - digamma(r)
}

/** ψ'(y+r) − ψ'(r) (negative). */
export const trigammaDiff = (y: number, r: number): number => {
  if (y === 0) return 0
  if (isSmallCount(y)) {
    let s = 0
    for (let k = 0; k < y; k++) {
      const v = r + k
      s -= 1 / (v * v)
    }
    return s
  }
  return trigamma(y + r) - trigamma(r)
}

/**
 * The likelihood of one data set (design in CSR, counts, optional offset) with buffers for η and μ,
 * so the optimiser evaluates it without allocating. Call `setBeta` before the other methods.
 */
export class Nb2Likelihood {
  readonly n: number
  readonly p: number
  readonly eta: Float64Array
  readonly mu: Float64Array
  /** Σ lnΓ(y+1): constant in the parameters. */
  readonly sumLgammaY1: number
  private readonly work: Float64Array
  /** Counts are integers in [0, TABLE_MAX]: the Γ-differences come from per-α tables. */
  private readonly tabulated: boolean
  private readonly maxY: number
  private tableR = NaN
  private readonly lgTable: Float64Array
  private readonly dgTable: Float64Array
  private readonly tgTable: Float64Array

  constructor(
    readonly A: CsrMatrix,
    readonly y: Float64Array,
    readonly offset?: Float64Array
  ) {
    this.n = A.n
    this.p = A.p
    if (y.length !== A.n) throw new RangeError(`y has ${y.length} rows, the design ${A.n}`)
    this.eta = new Float64Array(this.n)
    this.mu = new Float64Array(this.n)
    this.work = new Float64Array(this.n)
    let s = 0
    let maxY = 0
    let integral = true
    for (let i = 0; i < this.n; i++) {
      // log y! from the shared exact table for counts, lnΓ otherwise.
      s += Number.isInteger(y[i]!) ? logFactorial(y[i]!) : lgamma(y[i]! + 1)
      maxY = Math.max(maxY, y[i]!)
      integral &&= Number.isInteger(y[i]!)
    }
    this.sumLgammaY1 = s
    this.tabulated = integral && maxY <= TABLE_MAX
    this.maxY = this.tabulated ? maxY : 0
    this.lgTable = new Float64Array(this.maxY + 1)
    this.dgTable = new Float64Array(this.maxY + 1)
    this.tgTable = new Float64Array(this.maxY + 1)
  }

  /** lnΓ(y+r)−lnΓ(r), ψ(y+r)−ψ(r), ψ'(y+r)−ψ'(r) for y = 0..maxY, by the cumulative finite sums. */
  private tables(r: number): boolean {
    if (!this.tabulated) return false
    if (r !== this.tableR) {
      let lg = 0
      let dg = 0
      let tg = 0
      for (let k = 0; k < this.maxY; k++) {
        const v = r + k
        lg += Math.log(v)
        dg += 1 / v
        tg -= 1 / (v * v)
        this.lgTable[k + 1] = lg
        this.dgTable[k + 1] = dg
        this.tgTable[k + 1] = tg
      }
      this.tableR = r
    }
    return true
  }

  setBeta(beta: ArrayLike<number>): void {
    csrMulVec(this.A, beta, this.eta, this.offset)
    for (let i = 0; i < this.n; i++) this.mu[i] = Math.exp(this.eta[i]!)
  }

  loglik(alpha: number): number {
    const { y, eta, mu, n } = this
    let s = 0
    if (alpha === 0) {
      for (let i = 0; i < n; i++) s += y[i]! * eta[i]! - mu[i]!
      return s - this.sumLgammaY1
    }
    const r = 1 / alpha
    const logA = Math.log(alpha)
    const tab = this.tables(r)
    const lg = this.lgTable
    for (let i = 0; i < n; i++) {
      const yi = y[i]!
      const L = Math.log1p(alpha * mu[i]!)
      s += (tab ? lg[yi]! : lgammaRatio(yi, r)) - r * L + (yi === 0 ? 0 : yi * (logA + eta[i]! - L))
    }
    return s - this.sumLgammaY1
  }

  /** ∂ℓ/∂η per observation into `out` (length n). */
  scoreEta(alpha: number, out: Float64Array): void {
    const { y, mu } = this
    for (let i = 0; i < this.n; i++) out[i] = (y[i]! - mu[i]!) / (1 + alpha * mu[i]!)
  }

  /** ∂ℓ/∂β (length p). */
  scoreBeta(alpha: number, out: Float64Array): void {
    this.scoreEta(alpha, this.work)
    csrTMulVec(this.A, this.work, out)
  }

  /** ∂ℓ/∂α (α > 0). */
  scoreAlpha(alpha: number): number {
    const { y, mu } = this
    const r = 1 / alpha
    const tab = this.tables(r)
    const dg = this.dgTable
    let s = 0
    for (let i = 0; i < this.n; i++) {
      const m = mu[i]!
      const yi = y[i]!
      const am1 = 1 + alpha * m
      s += (Math.log(am1) - (tab ? dg[yi]! : digammaDiff(yi, r))) * r * r + ((yi - m) * r) / am1
    }
    return s
  }

  /** ∂²ℓ/∂α² (α > 0). */
  hessianAlpha(alpha: number): number {
    const { y, mu } = this
    const r = 1 / alpha
    const r2 = r * r
    const tab = this.tables(r)
    const dg = this.dgTable
    const tg = this.tgTable
    let s = 0
    for (let i = 0; i < this.n; i++) {
      const m = mu[i]!
      const yi = y[i]!
      const am1 = 1 + alpha * m
      const L = Math.log(am1)
      s +=
        -2 * r2 * r * (L - (tab ? dg[yi]! : digammaDiff(yi, r))) +
        r2 * (m / am1 + r2 * (tab ? tg[yi]! : trigammaDiff(yi, r))) -
        ((yi - m) * (1 + 2 * alpha * m) * r2) / (am1 * am1)
    }
    return s
  }

  /** [∂ℓ/∂α, ∂²ℓ/∂α²] in one pass (α > 0). */
  alphaDerivatives(alpha: number): readonly [number, number] {
    const { y, mu } = this
    const r = 1 / alpha
    const r2 = r * r
    const tab = this.tables(r)
    const dg = this.dgTable
    const tg = this.tgTable
    let g = 0
    let h = 0
    for (let i = 0; i < this.n; i++) {
      const m = mu[i]!
      const yi = y[i]!
      const am1 = 1 + alpha * m
      const LmD = Math.log(am1) - (tab ? dg[yi]! : digammaDiff(yi, r))
      const d = yi - m
      g += LmD * r2 + (d * r) / am1
      h += -2 * r2 * r * LmD + r2 * (m / am1 + r2 * (tab ? tg[yi]! : trigammaDiff(yi, r))) - (d * (1 + 2 * alpha * m) * r2) / (am1 * am1)
    }
    return [g, h]
  }

  /**
   * Per-observation weights of the β block of the Hessian: −∂²ℓ/∂η² = μ(1+αy)/(1+αμ)² ("observed") or
   * its expectation μ/(1+αμ) ("expected", Fisher scoring). Both are > 0, so XᵀWX is a weighted Gram matrix.
   */
  etaWeights(alpha: number, kind: "observed" | "expected", out: Float64Array): void {
    const { y, mu } = this
    for (let i = 0; i < this.n; i++) {
      const m = mu[i]!
      const am1 = 1 + alpha * m
      out[i] = kind === "observed" ? (m * (1 + alpha * y[i]!)) / (am1 * am1) : m / am1
    }
  }

  /** ∂²ℓ/∂β∂α (length p). */
  hessianBetaAlpha(alpha: number, out: Float64Array): void {
    const { y, mu, work } = this
    for (let i = 0; i < this.n; i++) {
      const m = mu[i]!
      const am1 = 1 + alpha * m
      work[i] = (-(y[i]! - m) * m) / (am1 * am1)
    }
    csrTMulVec(this.A, work, out)
  }

  /** Deviance 2Σ[y log(y/μ) − (y+1/α) log((1+αy)/(1+αμ))] (Poisson's at α = 0). */
  deviance(alpha: number): number {
    const { y, mu } = this
    let s = 0
    for (let i = 0; i < this.n; i++) {
      const yi = y[i]!
      const m = mu[i]!
      const ylogy = yi > 0 ? yi * Math.log(yi / m) : 0
      s += alpha === 0 ? ylogy - (yi - m) : ylogy - (yi + 1 / alpha) * Math.log((1 + alpha * yi) / (1 + alpha * m))
    }
    return 2 * s
  }

  /** Pearson χ² = Σ (y−μ)²/(μ + αμ²). */
  pearsonChi2(alpha: number): number {
    const { y, mu } = this
    let s = 0
    for (let i = 0; i < this.n; i++) {
      const d = y[i]! - mu[i]!
      s += (d * d) / (mu[i]! * (1 + alpha * mu[i]!))
    }
    return s
  }
}
