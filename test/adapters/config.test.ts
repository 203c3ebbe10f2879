/** Configuration from the environment: LOG_LEVEL shares --log-level's spelling and names it when wrong. */
import { ConfigProvider, Effect, Either, LogLevel } from "effect"
import { describe, expect, it } from "vitest"
import { appConfig, LOG_LEVEL_NAMES, parseLogLevel } from "../../src/adapters/config"

const load = (env: Record<string, string>) => Effect.runSync(Effect.either(Effect.withConfigProvider(appConfig, ConfigProvider.fromMap(new Map(Object.entries(env))))))

describe("LOG_LEVEL", () => {
  it("accepts every --log-level spelling, and warn/off too", () => {
    for (const name of LOG_LEVEL_NAMES) expect(parseLogLevel(name), name).toBeDefined()
    expect(parseLogLevel("warning")).toBe(LogLevel.Warning)
    expect(parseLogLevel("WARN")).toBe(LogLevel.Warning)
    expect(parseLogLevel("none")).toBe(LogLevel.None)
    expect(parseLogLevel("off")).toBe(LogLevel.None)
    expect(parseLogLevel("loud")).toBeUndefined()
  })

  it("a wrong value is refused with the flag's spelling of the choices", () => {
    const r = load({ LOG_LEVEL: "loud" })
    expect(Either.isLeft(r)).toBe(true)
    expect(String(Either.isLeft(r) ? r.left : "")).toContain("all, trace, debug, info, warning, error, fatal, none")
    expect(Either.isRight(load({ LOG_LEVEL: "warning" }))).toBe(true)
  })
})
