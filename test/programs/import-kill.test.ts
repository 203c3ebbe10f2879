/**
 * `import` killed mid-run (SIGKILL of the compiled CLI, after some batches were committed) and run
 * again: the store ends with exactly the archive's tweets, each once, and its hash chain intact.
 */
import { runProcess } from "../support/process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { SHARED_CSV } from "../support/shared-data"
import { runAndKillWhen } from "../support/kill"
import { withTempDataDir } from "../support/pglite"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const bin = join(ROOT, "bin/musktracker.js")
const dataDir = join(withTempDataDir("mt-import-kill-"), "store")
const env = { ...process.env, MUSKTRACKER_DATA_DIR: dataDir, LOG_LEVEL: "warn", DATABASE_URL: "", EVENTSTORE_URL: "" }

describe("import killed mid-run", () => {
  it("re-run to exactly the archive's set: nothing lost, nothing twice, the chain intact", async () => {
    // Kill once the progress line says 30% of the rows were appended (at least 21 committed batches).
    const killed = await runAndKillWhen([bin, "import", SHARED_CSV], { env }, (output) => {
      const m = /: (\d+)\/(\d+)\n/g.exec(output.split("\n").slice(-3).join("\n") + "\n")
      return m !== null && Number(m[1]) >= 0.3 * Number(m[2])
    })
    expect(killed.signal, killed.output).toBe("SIGKILL")

    const rows = readFileSync(SHARED_CSV, "utf8").split("\n").slice(1).filter((l) => l.length > 0).length
    const again = await runProcess(process.execPath, [bin, "import", SHARED_CSV], { env })
    expect(again.status, again.stderr).toBe(0)
    const m = /(\d+) rows?, (\d+) new tweets?, (\d+) already present/.exec(again.stdout)!
    expect(Number(m[1])).toBe(rows)
    // some were committed before the kill, the rest now
    expect(Number(m[3])).toBeGreaterThan(0)
    expect(Number(m[2]) + Number(m[3])).toBe(rows)

    const status = JSON.parse((await runProcess(process.execPath, [bin, "status", "--format", "json"], { env })).stdout) as { events: number }
    expect(status.events).toBe(rows)
    const audit = await runProcess(process.execPath, [bin, "audit", "verify"], { env })
    expect(audit.status, audit.stderr).toBe(0)
    expect(audit.stdout).toContain(`OK, ${rows} events`)
  }, 300_000)
})
