/** Regime detection on daily counts: Bayesian online change points and the rolling-variance rule. */
export * from "./types"
export * from "./daily"
export * from "./bocpd"
export * from "./rolling-variance"
