/**
 * Application configuration from the environment (Effect `Config`), validated once at start-up.
 * With nothing set, everything runs embedded (PGlite in ./.musktracker).
 */
import { Config, ConfigError, Context, Effect, Either, Layer, LogLevel, Option, Redacted } from "effect"

export interface AppConfigShape {
  /** X API bearer token; never logged (Redacted). */
  readonly xBearerToken: Option.Option<Redacted.Redacted<string>>
  readonly xApiBaseUrl: string
  /** PostgreSQL URL for the event log and read models; absent means embedded PGlite. */
  readonly databaseUrl: Option.Option<string>
  /** EventStoreDB URL for the event log (read models still in SQL). */
  readonly eventstoreUrl: Option.Option<string>
  /** Embedded store directory. */
  readonly dataDir: string
  readonly logLevel: LogLevel.LogLevel
}

export class AppConfig extends Context.Tag("musktracker/AppConfig")<AppConfig, AppConfigShape>() {}

const nonEmpty = (name: string) =>
  Config.option(Config.string(name)).pipe(Config.map(Option.filter((s) => s.trim().length > 0)))

/**
 * An optional URL whose scheme must be one of `schemes` (a typo such as `DATABASE_URL=localhost` would
 * otherwise surface as a DNS failure of some other host name). The message shows the value with any
 * password hidden.
 */
const checkUrl = (name: string, schemes: ReadonlyArray<string>, example: string, value: string): Either.Either<string, ConfigError.ConfigError> => {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value.trim())?.[1]?.toLowerCase()
  return scheme !== undefined && schemes.includes(scheme)
    ? Either.right(value)
    : Either.left(ConfigError.InvalidData([], `${name} must be a URL that starts with ${schemes.map((x) => `${x}://`).join(" or ")} (e.g. ${example}), got "${redactUrl(value)}"`))
}
const urlOf = (name: string, schemes: ReadonlyArray<string>, example: string) =>
  nonEmpty(name).pipe(
    Config.mapOrFail((value): Either.Either<Option.Option<string>, ConfigError.ConfigError> =>
      Option.isNone(value) ? Either.right(value) : Either.map(checkUrl(name, schemes, example, value.value), Option.some)
    )
  )

/** TIMEZONE may be absent or UTC: every bucket is a UTC hour, and a silent local zone would shift them. */
const timezone = Config.string("TIMEZONE").pipe(
  Config.withDefault("UTC"),
  Config.validate({
    message: "TIMEZONE must be UTC (MuskTracker buckets every count in UTC hours; unset it or set TIMEZONE=UTC)",
    validation: (tz) => ["UTC", "Etc/UTC", "Z"].includes(tz.trim())
  })
)

const LOG_LEVEL_ALIASES: Readonly<Record<string, string>> = { warning: "warn", none: "off" }
/** The spelling of `--log-level` (@effect/cli's), which LOG_LEVEL shares; `warn` and `off` are accepted too. */
export const LOG_LEVEL_NAMES = ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"] as const

/** A LOG_LEVEL value (case-insensitive; `warning` and `none` accepted for `warn` and `off`). */
export const parseLogLevel = (raw: string): LogLevel.LogLevel | undefined => {
  const t = raw.trim().toLowerCase()
  const name = LOG_LEVEL_ALIASES[t] ?? t
  return LogLevel.allLevels.find((l) => l.label.toLowerCase() === name)
}

const logLevel = Config.string("LOG_LEVEL").pipe(
  Config.withDefault("Info"),
  Config.mapOrFail((raw) => {
    const match = parseLogLevel(raw)
    return match
      ? Either.right(match)
      : Either.left(
          ConfigError.InvalidData([], `LOG_LEVEL must be one of ${LOG_LEVEL_NAMES.join(", ")} (as --log-level spells them), got "${raw}"`)
        )
  })
)

export const appConfig: Config.Config<AppConfigShape> = Config.all({
  xBearerToken: Config.option(Config.redacted("X_BEARER_TOKEN")).pipe(
    Config.map(Option.filter((r) => Redacted.value(r).trim().length > 0))
  ),
  xApiBaseUrl: Config.string("X_API_BASE_URL").pipe(
    Config.withDefault("https://api.x.com"),
    Config.mapOrFail((url) => checkUrl("X_API_BASE_URL", ["https", "http"], "https://api.x.com", url))
  ),
  databaseUrl: urlOf("DATABASE_URL", ["postgres", "postgresql"], "postgres://user@127.0.0.1:5432/musktracker"),
  eventstoreUrl: urlOf("EVENTSTORE_URL", ["esdb", "esdb+discover"], "esdb://127.0.0.1:2113?tls=false"),
  dataDir: Config.string("MUSKTRACKER_DATA_DIR").pipe(Config.withDefault("./.musktracker")),
  logLevel,
  _tz: timezone
}).pipe(Config.map(({ _tz: _ignored, ...rest }) => rest))

export const AppConfigLive = Layer.effect(AppConfig, appConfig)

/** A fixed configuration, for tests and for programs that override the environment. */
export const AppConfigFrom = (overrides: Partial<AppConfigShape>): Layer.Layer<AppConfig, ConfigError.ConfigError> =>
  Layer.effect(
    AppConfig,
    Effect.map(appConfig, (c) => ({ ...c, ...overrides }))
  )

/** A URL with any password replaced by `***`, safe to print. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    if (u.password) u.password = "***"
    return u.toString()
  } catch {
    return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@")
  }
}
