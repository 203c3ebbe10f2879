/** The one set of forecast metric functions (pure). */
export * from "./point"
export * from "./crps"
export * from "./log-score"
export * from "./interval"
export * from "./pit"
export * from "./evaluate"
