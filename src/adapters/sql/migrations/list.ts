/**
 * Every migration, one line each. To add one: create NNNN-name.ts default-exporting a Migration with
 * version NNNN, then add its line here. Order of lines does not matter (index.ts sorts by version).
 */
export { default as m0001 } from "./0001-event-log"
export { default as m0002 } from "./0002-projection-checkpoints"
export { default as m0003 } from "./0003-tweet-counts"
export { default as m0010 } from "./0010-exogenous-events"
export { default as m0020 } from "./0020-regimes"
export { default as m0021 } from "./0021-backtests"
export { default as m0022 } from "./0022-models"
export { default as m0030 } from "./0030-forecasts"
export { default as m0040 } from "./0040-ingestion-runs"
export { default as m0041 } from "./0041-backtest-nowcasts"
export { default as m0042 } from "./0042-ingestion-run-failures"
export { default as m0043 } from "./0043-event-hash-chain"
export { default as m0044 } from "./0044-accounts"
export { default as m0045 } from "./0045-exogenous-accounts"
export { default as m0046 } from "./0046-tweets-drop-created-at-index"
export { default as m0047 } from "./0047-forecast-calibration"
