/**
 * The code version written into every event's metadata: `musktracker@<package version>+<git sha>`, with
 * `-dirty` when tracked files differ from that commit. Inside the project's own git checkout git is
 * asked; an installed package reads the sha its build recorded (`dist/build-info.json`), else `+dev`.
 * MUSKTRACKER_CODE_VERSION overrides it (e.g. set by a release build or a container image).
 */
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { packageManifest, packageRoot } from "./package-root"

const git = (args: ReadonlyArray<string>): string | undefined => {
  try {
    return execFileSync("git", args, { cwd: packageRoot(), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5_000 }).trim()
  } catch {
    return undefined
  }
}

const packageVersion = (): string => {
  try {
    const pkg = packageManifest()
    return `${pkg.name}@${pkg.version}`
  } catch {
    return "musktracker@unknown"
  }
}

/** The sha recorded by the build of an installed package (no git there, or someone else's repository). */
const builtSha = (): string | undefined => {
  try {
    const info = JSON.parse(readFileSync(join(packageRoot(), "dist", "build-info.json"), "utf8")) as { sha?: unknown }
    return typeof info.sha === "string" && info.sha !== "" ? info.sha : undefined
  } catch {
    return undefined
  }
}

/** Computes the version now (no cache). */
export const readCodeVersion = (env: NodeJS.ProcessEnv = process.env): string => {
  const override = env.MUSKTRACKER_CODE_VERSION?.trim()
  if (override) return override
  // Only the project's own checkout may be asked: an installed package may sit inside another repository.
  if (!existsSync(join(packageRoot(), ".git"))) {
    const sha = builtSha()
    return `${packageVersion()}+${sha ?? "dev"}`
  }
  const sha = git(["rev-parse", "--short=12", "HEAD"])
  if (!sha) return `${packageVersion()}+dev`
  const changes = git(["status", "--porcelain", "--untracked-files=no"])
  return `${packageVersion()}+${sha}${changes ? "-dirty" : ""}`
}

let cached: string | undefined

/** The code version of this process (computed once). */
export const codeVersion = (): string => (cached ??= readCodeVersion())
