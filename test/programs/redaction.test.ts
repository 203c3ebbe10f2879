/**
 * No secret in any output: the compiled CLI runs `ingest` against a local X stand-in that echoes the
 * request's headers (Authorization included) in its error bodies, as a misconfigured proxy would. The
 * bearer token must appear nowhere in stdout or stderr: not in the retry warnings, not in the final
 * error line, not with LOG_LEVEL=debug.
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startFakeXServer, type FakeXServer } from "../../src/adapters/x-api/fake-server"
import { withTempDataDir } from "../support/pglite"
import { makePosts } from "./ingest-support"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const TOKEN = "AAAAsecret-bearer-token-0123456789"
const dataDir = join(withTempDataDir("mt-redact-"), "store")
let server: FakeXServer

beforeAll(async () => {
  server = await startFakeXServer({ token: TOKEN, tweets: makePosts("44196397", 30, Date.now() - 60_000, 10 * 60_000, 3) })
})
afterAll(() => server.close())

const run = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/musktracker.js"), ...args], {
      env: { ...process.env, X_API_BASE_URL: server.url, X_BEARER_TOKEN: TOKEN, MUSKTRACKER_DATA_DIR: dataDir, LOG_LEVEL: "debug", DATABASE_URL: "", EVENTSTORE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (c: Buffer) => (output += c.toString()))
    child.stderr.on("data", (c: Buffer) => (output += c.toString()))
    child.on("error", reject)
    child.on("exit", (code) => resolve({ code, output }))
  })

describe("no secret in any output", () => {
  it("retried 500s whose bodies echo the Authorization header: the run completes, the token is printed nowhere", async () => {
    server.inject.echoHeaders(2, { status: 500 })
    const r = await run(["ingest", "--backfill-days", "1"])
    expect(r.code, r.output).toBe(0)
    expect(r.output).toMatch(/retry 1 of/) // the warnings that used to carry the echoed body
    expect(r.output).toMatch(/Bearer \*\*\*/)
    expect(r.output).not.toContain(TOKEN)
  }, 120_000)

  it("a 401 whose body echoes the header: one error line, exit 1, no token", async () => {
    server.inject.echoHeaders(1, { status: 401 })
    const r = await run(["ingest"])
    expect(r.code).toBe(1)
    expect(r.output).toMatch(/^error: .*401|unauthori[sz]ed/im)
    expect(r.output).not.toContain(TOKEN)
  }, 120_000)
})
