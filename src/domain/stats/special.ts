/**
 * Special functions: thin typed wrappers so the rest of the code base depends on one module, not on
 * a particular package. The implementations are stdlib's (Cephes/Boost-derived, accurate to a few ulp
 * over the real line), which is what the statsmodels reference uses through scipy.special.
 */
import gammalnImpl from "@stdlib/math-base-special-gammaln"
import digammaImpl from "@stdlib/math-base-special-digamma"
import trigammaImpl from "@stdlib/math-base-special-trigamma"

/** log|Γ(x)| (scipy.special.gammaln). Infinite at 0 and the negative integers. */
export const lgamma = (x: number): number => gammalnImpl(x)

/** ψ(x) = d/dx log Γ(x) (scipy.special.digamma). */
export const digamma = (x: number): number => digammaImpl(x)

/** ψ'(x) = d²/dx² log Γ(x) (scipy.special.polygamma(1, x)). */
export const trigamma = (x: number): number => trigammaImpl(x)
