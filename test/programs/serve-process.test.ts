/**
 * `musktracker serve` as a process (the built CLI, as an operator runs it): SIGTERM and SIGINT stop it
 * cleanly with exit 0 and release the embedded store; a second `serve` on the same data directory is
 * refused with one line while the first runs.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { runProcess } from "../support/process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const bin = join(process.cwd(), "bin/musktracker.js")
const dir = mkdtempSync(join(tmpdir(), "mt-serve-process-"))
const env = { ...process.env, MUSKTRACKER_DATA_DIR: join(dir, "store"), LOG_LEVEL: "warning" } as NodeJS.ProcessEnv
delete env.DATABASE_URL
delete env.EVENTSTORE_URL
delete env.X_BEARER_TOKEN
delete env.MUSKTRACKER_API_TOKEN

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Starts serve and resolves with its base URL once it listens. */
const start = (): Promise<{ child: ChildProcess; base: string; out: () => string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "serve", "--listen", "127.0.0.1:0"], { env })
    let out = ""
    let err = ""
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ child, base: m[1]!, out: () => out })
    })
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()))
    child.on("exit", (code) => reject(new Error(`serve exited (${code}) before listening: ${out} ${err}`)))
  })

const exitOf = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.once("exit", (code) => resolve(code)))

describe("serve as a process", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} stops it with exit 0, and the store opens again`, async () => {
      const s = await start()
      const health = await fetch(`${s.base}/health`)
      expect(await health.json()).toEqual({ status: "ok" })
      const exited = exitOf(s.child)
      s.child.kill(signal)
      expect(await exited).toBe(0)
      // The embedded store was closed and its lock released: a one-shot command opens it.
      const status = await runProcess(process.execPath, [bin, "status", "--format", "json"], { env })
      expect(status.status, status.stderr).toBe(0)
    }, 120_000)
  }

  it("a second serve on the same embedded directory is refused with one line", async () => {
    const s = await start()
    try {
      const second = await runProcess(process.execPath, [bin, "serve", "--listen", "127.0.0.1:0"], { env, timeout: 60_000 })
      expect(second.status).toBe(1)
      const lines = second.stderr.trim().split("\n")
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^error: .*(in use|locked|lock)/i)
      // The first keeps serving.
      expect((await fetch(`${s.base}/health`)).status).toBe(200)
    } finally {
      const exited = exitOf(s.child)
      s.child.kill("SIGTERM")
      expect(await exited).toBe(0)
    }
  }, 120_000)
})
