/**
 * The compiled CLI in a real pseudo-terminal (util-linux `script`, in Debian's essential bsdutils) and
 * through a pipe: a progress bar with done/total and ETA only on a terminal, plain periodic lines
 * otherwise; colour in help only on a terminal.
 */
import { execFile, execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { beforeAll, describe, expect, it } from "vitest"
import { snowflakeIdAt } from "../../../src/domain/ingestion/tweet-id"
import { toIsoUtc } from "../../../src/domain/time"
import { withTempDataDir } from "../../support/pglite"
import { runProcess } from "../../support/process"

const run = promisify(execFile)
const ESC = "\x1b"
const root = withTempDataDir("mt-tty-")

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

/** Runs the CLI in a pseudo-terminal of 100 columns; returns everything the terminal received. */
const inTerminal = async (args: ReadonlyArray<string>, env: Record<string, string>) => {
  if (!hasScript) throw new Error("this test needs util-linux `script` (Debian: bsdutils) to make a pseudo-terminal")
  const command = ["stty cols 100 2>/dev/null;", "exec", process.execPath, "bin/musktracker.js", ...args.map((a) => `'${a}'`)].join(" ")
  const { stdout } = await run("script", ["-qec", command, "/dev/null"], { env: { ...process.env, ...env, NO_COLOR: "", TERM: "xterm" }, cwd: process.cwd(), maxBuffer: 16 << 20 })
  return stdout
}

const piped = async (args: ReadonlyArray<string>, env: Record<string, string>) =>
  run(process.execPath, ["bin/musktracker.js", ...args], { env: { ...process.env, ...env, NO_COLOR: "" }, cwd: process.cwd(), maxBuffer: 16 << 20 })

describe("on a terminal and through a pipe", () => {
  const csv = join(root, "tweets.csv")
  const rows = 30_000
  beforeAll(() => {
    const start = Date.parse("2025-01-06T00:00:00Z")
    const lines = ["tweet_id,created_at,kind"]
    for (let i = 0; i < rows; i++) {
      const at = start + i * 60_000
      lines.push(`${snowflakeIdAt(at, i % 4096)},${toIsoUtc(at)},post`)
    }
    writeFileSync(csv, lines.join("\n") + "\n")
  })

  it("import: a bar with done/total and ETA on a terminal; plain lines at most every 10% through a pipe", async () => {
    const terminal = await inTerminal(["import", csv], { MUSKTRACKER_DATA_DIR: join(root, "tty"), DATABASE_URL: "", EVENTSTORE_URL: "" })
    expect(terminal).toMatch(/import \S*tweets\.csv \[[█░]+\] \d+% \d+\/30000, ETA/)
    expect(terminal).toContain(`${rows} rows, ${rows} new tweets`)

    const pipe = await piped(["import", csv], { MUSKTRACKER_DATA_DIR: join(root, "pipe"), DATABASE_URL: "", EVENTSTORE_URL: "" })
    const lines = pipe.stderr.split("\n").filter((l) => /^import \S*tweets\.csv: /.test(l))
    expect(lines.length).toBeGreaterThanOrEqual(2)
    expect(lines.length).toBeLessThanOrEqual(11)
    expect(lines[lines.length - 1]).toBe(`import ${csv}: ${rows}/${rows}`)
    expect(pipe.stderr + pipe.stdout).not.toContain("ETA")
    expect(pipe.stdout).not.toContain(ESC)
  }, 180_000)

  it("a large output through a pipe arrives whole (the process waits for stdout to drain before it exits)", async () => {
    // 36,525 days of CSV, about 900 KB: far more than a pipe's 64 KiB buffer.
    const env = { MUSKTRACKER_DATA_DIR: join(root, "pipe-big"), DATABASE_URL: "", EVENTSTORE_URL: "" }
    // One tweet, so the store knows the account (counts refuses an account it has never seen).
    const one = join(root, "one.csv")
    const at = Date.parse("2025-01-06T00:00:00Z")
    writeFileSync(one, `tweet_id,created_at,kind\n${snowflakeIdAt(at, 0)},${toIsoUtc(at)},post\n`)
    expect((await runProcess(process.execPath, ["bin/musktracker.js", "import", one], { env: { ...process.env, ...env } })).status).toBe(0)
    const r = await runProcess(process.execPath, ["bin/musktracker.js", "counts", "--daily", "--from", "1900-01-01", "--to", "2000-01-01", "--format", "csv"], { env: { ...process.env, ...env } })
    expect(r.status, r.stderr).toBe(0)
    const lines = r.stdout.trimEnd().split("\n")
    expect(lines).toHaveLength(36_524 + 1)
    expect(lines[0]).toBe("bucket_start,count")
    expect(lines.at(-1)).toBe("1999-12-31T00:00:00Z,0")
  }, 120_000)

  it("help: bold headings on a terminal, none through a pipe; the real name either way", async () => {
    const terminal = await inTerminal(["train", "--help"], {})
    expect(terminal).toContain(`${ESC}[`)
    expect(terminal).toMatch(/\$ musktracker train/)
    const pipe = await piped(["train", "--help"], {})
    expect(pipe.stdout).not.toContain(ESC)
    expect(pipe.stdout).toMatch(/^\$ musktracker train/m)
  }, 60_000)
})
