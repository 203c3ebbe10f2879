import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { codeVersion, readCodeVersion } from "../../src/adapters/code-version"

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string }

describe("codeVersion", () => {
  it("is package name@version plus the git commit (or dev)", () => {
    const v = readCodeVersion({})
    expect(v.startsWith(`${pkg.name}@${pkg.version}+`)).toBe(true)
    expect(v).toMatch(/\+([0-9a-f]{12}(-dirty)?|dev)$/)
    expect(codeVersion()).toBe(codeVersion())
  })

  it("MUSKTRACKER_CODE_VERSION overrides it", () => {
    expect(readCodeVersion({ MUSKTRACKER_CODE_VERSION: "release-7" })).toBe("release-7")
    expect(readCodeVersion({ MUSKTRACKER_CODE_VERSION: "  " })).not.toBe("  ")
  })
})
