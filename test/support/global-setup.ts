/** Runs once before the suites: compiles dist/ from the current source (tests spawn bin/musktracker.js). */
import { execFileSync } from "node:child_process"

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" })
}
