/** Temporary PGlite data directories for tests (removed afterwards). */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"

export const makeTempDir = (prefix = "mt-pglite-"): { readonly path: string; readonly remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** A temp directory for the calling test file, removed after all its tests. */
export const withTempDataDir = (prefix?: string): string => {
  const dir = makeTempDir(prefix)
  afterAll(() => dir.remove())
  return dir.path
}
