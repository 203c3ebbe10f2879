/**
 * The installed package's root folder and manifest, found by walking up from this module: the same
 * answer whether the code runs from `src/` (tsx, tests) or from the bundled `dist/` (the CLI).
 */
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const findRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, "package.json")
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "musktracker") return dir
      } catch {
        // an unreadable manifest is not ours; keep walking
      }
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`musktracker's package.json not found above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
}

let root: string | undefined

/** Absolute path of the folder holding musktracker's package.json. */
export const packageRoot = (): string => (root ??= findRoot())

export interface PackageManifest {
  readonly name: string
  readonly version: string
}

/** musktracker's package.json (name and version). */
export const packageManifest = (): PackageManifest => {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as Partial<PackageManifest>
  return { name: pkg.name ?? "musktracker", version: pkg.version ?? "0.0.0" }
}
