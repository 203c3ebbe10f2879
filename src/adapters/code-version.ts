/**
 * The code version written into every event's metadata: `musktracker@<package version>+<git sha>`, with
 * `-dirty` when tracked files differ from that commit, or `+dev` outside a git checkout.
 * MUSKTRACKER_CODE_VERSION overrides it (e.g. set by a release build or a container image).
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const projectRoot = fileURLToPath(new URL("../../", import.meta.url))

const git = (args: ReadonlyArray<string>): string | undefined => {
  try {
    return execFileSync("git", args, { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5_000 }).trim()
  } catch {
    return undefined
  }
}

const packageVersion = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name?: string; version?: string }
    return `${pkg.name ?? "musktracker"}@${pkg.version ?? "0.0.0"}`
  } catch {
    return "musktracker@unknown"
  }
}

/** Computes the version now (no cache). */
export const readCodeVersion = (env: NodeJS.ProcessEnv = process.env): string => {
  const override = env.MUSKTRACKER_CODE_VERSION?.trim()
  if (override) return override
  const sha = git(["rev-parse", "--short=12", "HEAD"])
  if (!sha) return `${packageVersion()}+dev`
  const changes = git(["status", "--porcelain", "--untracked-files=no"])
  return `${packageVersion()}+${sha}${changes ? "-dirty" : ""}`
}

let cached: string | undefined

/** The code version of this process (computed once). */
export const codeVersion = (): string => (cached ??= readCodeVersion())
