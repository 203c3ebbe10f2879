/** The two baselines every model is compared with. */
export * from "./seasonal-naive"
export * from "./poisson-seasonal"
