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

describe("DATABASE_URL, EVENTSTORE_URL and X_API_BASE_URL", () => {
  const message = (env: Record<string, string>) => {
    const r = load(env)
    return Either.isLeft(r) ? String(r.left) : undefined
  }

  it("take the store URLs they name, and empty means unset", () => {
    for (const url of ["postgres://u@127.0.0.1:5432/db", "postgresql://u:p@h/db", "POSTGRES://h/db"]) {
      const r = load({ DATABASE_URL: url })
      expect(Either.isRight(r) && r.right.databaseUrl._tag === "Some" ? r.right.databaseUrl.value : undefined, url).toBe(url)
    }
    for (const url of ["esdb://127.0.0.1:2113?tls=false", "esdb+discover://cluster:2113"]) {
      const r = load({ EVENTSTORE_URL: url })
      expect(Either.isRight(r) && r.right.eventstoreUrl._tag === "Some" ? r.right.eventstoreUrl.value : undefined, url).toBe(url)
    }
    const empty = load({ DATABASE_URL: " ", EVENTSTORE_URL: "" })
    expect(Either.isRight(empty) && empty.right.databaseUrl._tag === "None" && empty.right.eventstoreUrl._tag === "None").toBe(true)
  })

  it("refuse anything else by name, with the password hidden, instead of a DNS failure later", () => {
    expect(message({ DATABASE_URL: "localhost:5432/db" })).toContain(
      'DATABASE_URL must be a URL that starts with postgres:// or postgresql:// (e.g. postgres://user@127.0.0.1:5432/musktracker), got "localhost:5432/db"'
    )
    const withPassword = message({ DATABASE_URL: "http://me:hunter2@h/db" })
    expect(withPassword).toContain('got "http://me:***@h/db"')
    expect(withPassword).not.toContain("hunter2")
    expect(message({ EVENTSTORE_URL: "127.0.0.1:2113" })).toContain("EVENTSTORE_URL must be a URL that starts with esdb:// or esdb+discover://")
    expect(message({ X_API_BASE_URL: "127.0.0.1:8080" })).toContain('X_API_BASE_URL must be a URL that starts with https:// or http:// (e.g. https://api.x.com), got "127.0.0.1:8080"')
    const x = load({ X_API_BASE_URL: "http://127.0.0.1:8080" })
    expect(Either.isRight(x) ? x.right.xApiBaseUrl : undefined).toBe("http://127.0.0.1:8080")
    const d = load({})
    expect(Either.isRight(d) ? d.right.xApiBaseUrl : undefined).toBe("https://api.x.com")
  })
})
