// Preloaded into a benchmarked CLI process (NODE_OPTIONS=--require): records its own peak RSS on exit.
const { appendFileSync } = require("node:fs")
const file = process.env.MT_BENCH_RSS_FILE
if (file) process.on("exit", () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`))
