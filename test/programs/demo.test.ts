/**
 * `musktracker demo` end to end, as a newcomer runs it: the real CLI in a child process, no
 * configuration (the environment's DATABASE_URL/EVENTSTORE_URL are removed), a fresh data directory.
 * It must reach its summary, reproduce its forecast exactly, and leave a store the other commands read.
 */
import { runProcess } from "../support/process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const root = process.cwd()
const bin = join(root, "bin/musktracker.js")
const dir = mkdtempSync(join(tmpdir(), "mt-demo-"))
const dataDir = join(dir, "store")
const env = { ...process.env, MUSKTRACKER_DATA_DIR: dataDir, LOG_LEVEL: "warning" } as NodeJS.ProcessEnv
delete env.DATABASE_URL
delete env.EVENTSTORE_URL
delete env.X_BEARER_TOKEN

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("musktracker demo", () => {
  it("runs the whole job to its summary on a fresh embedded store and reproduces its forecast", async () => {
    const r = await runProcess(process.execPath, [bin, "demo", "--weeks", "12", "--seed", "7", "--data-dir", dataDir], { env, timeout: 240_000 })
    expect(r.status, r.stderr).toBe(0)
    const out = r.stdout
    for (const step of ["simulate history", "ingest through the X API client", "project read models", "detect regimes", "train:", "forecast the next 7 days", "reproduce that forecast", "== summary"])
      expect(out).toContain(step)
    expect(out).toMatch(/\d+ numbers compared, 0 differences/)
    // Bracket probabilities printed by the demo sum to 100% (to print rounding).
    const probs = [...out.matchAll(/^\s{3}\S+\s+(\d+\.\d)%$/gm)].map((m) => Number(m[1]))
    expect(probs.length).toBeGreaterThanOrEqual(3)
    expect(Math.abs(probs.reduce((a, b) => a + b, 0) - 100)).toBeLessThan(0.5)
    // What to run next: one pasteable command per line, no "|" that a shell would read as a pipe.
    expect(out).toContain(`  export MUSKTRACKER_DATA_DIR=${dataDir}`)
    const next = out.split("\n").filter((l) => l.startsWith("  npx musktracker "))
    expect(next).toEqual(["status", "counts --daily", "backtest list", "forecast list", "report --out report.html"].map((c) => `  npx musktracker ${c}`))
  }, 300_000)

  it("leaves a store the other commands can read", async () => {
    const status = JSON.parse((await runProcess(process.execPath, [bin, "status", "--format", "json"], { env })).stdout) as {
      events: number
      projections: Array<{ name: string; lag: number }>
    }
    expect(status.events).toBeGreaterThan(1000)
    expect(status.projections.every((p) => p.lag === 0)).toBe(true)
    const forecasts = (await runProcess(process.execPath, [bin, "forecast", "list"], { env })).stdout
    expect(forecasts).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
  }, 120_000)

  it("--accounts 2: two simulated accounts ingested together, each trained, forecast and reproduced, shown side by side", async () => {
    const twoDir = join(dir, "two")
    const r = await runProcess(process.execPath, [bin, "demo", "--accounts", "2", "--weeks", "12", "--seed", "7", "--data-dir", twoDir], { env, timeout: 240_000 })
    expect(r.status, r.stderr).toBe(0)
    const out = r.stdout
    for (const account of ["elonmusk", "demo_second"]) {
      expect(out).toContain(`train of @${account}:`)
      expect(out).toMatch(new RegExp(`^@${account} +\\S+ +\\d+\\.\\d +\\S+ +\\d+ +\\d+ \\.\\. \\d+ +exactly$`, "m"))
    }
    expect(out).toContain("== the accounts side by side")
    expect(out.match(/\d+ numbers compared, 0 differences/g)).toHaveLength(2)
    const listed = JSON.parse((await runProcess(process.execPath, [bin, "accounts", "list", "--format", "json"], { env: { ...env, MUSKTRACKER_DATA_DIR: twoDir } })).stdout) as Array<{
      account: string
      tweets: number
      latest_forecast: { mean: number } | null
    }>
    expect(listed.map((a) => a.account)).toEqual(["demo_second", "elonmusk"])
    // The second account is simulated at half the rate: fewer posts, a smaller forecast.
    expect(listed[0]!.tweets).toBeLessThan(listed[1]!.tweets * 0.75)
    expect(listed[0]!.latest_forecast!.mean).toBeLessThan(listed[1]!.latest_forecast!.mean)
  }, 300_000)

  it("--accounts outside 1..3 is a usage error", async () => {
    const r = await runProcess(process.execPath, [bin, "demo", "--accounts", "4", "--data-dir", join(dir, "four")], { env })
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toBe("error: --accounts must be between 1 and 3, got 4")
  })
})
