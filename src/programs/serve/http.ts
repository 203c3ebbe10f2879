/**
 * The read-only HTTP API (docs/api.md), on @effect/platform's HttpRouter: JSON bodies encoded through
 * ./schemas.ts, RFC 9457 problem bodies for errors (400 for a bad query, 401 without the token, 404 for
 * an unknown id or path, 500 with one line and never a stack), an optional bearer token compared in
 * constant time, and Prometheus text at /metrics.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Option, Redacted } from "effect"
import { timingSafeEqual } from "node:crypto"
import { nodeSha256 } from "../../adapters/sha256"
import { redactSecrets } from "../../adapters/redact"
import { ApiBadRequest, ApiNotFound, backtestAnswer, countsAnswer, encode, forecastAnswer, forecastsAnswer, type Query } from "./api"
import { Health, Problem, Ready } from "./schemas"
import { openApiDocument } from "./openapi"
import { packageManifest } from "../../adapters/package-root"

export interface HttpOptions {
  /** The account an endpoint answers for without `?account=`. */
  readonly defaultAccount: string
  /** When set, every request but /health needs `Authorization: Bearer <token>`. */
  readonly token: Option.Option<Redacted.Redacted<string>>
  /** /ready's answer, computed per request. */
  readonly ready: Effect.Effect<typeof Ready.Type>
  /** /metrics' text, computed per request. */
  readonly metrics: Effect.Effect<string>
}

const problem = (status: number, title: string, detail: string) =>
  HttpServerResponse.unsafeJson(encode(Problem, { type: "about:blank", title, status, detail }), {
    status,
    contentType: "application/problem+json"
  })

/** The query parameters each endpoint takes, as its OpenAPI document declares them (one list for both). */
const QUERY_PARAMETERS: Readonly<Record<string, ReadonlyArray<string>>> = Object.fromEntries(
  Object.entries(openApiDocument("").paths).map(([path, item]) => [
    path,
    ((item.get as { parameters?: ReadonlyArray<{ name: string; in: string }> }).parameters ?? []).filter((p) => p.in === "query").map((p) => p.name)
  ])
)

/**
 * The query of a request to `path`, each parameter given once and documented for it: a misspelt or
 * repeated one is a 400 naming it, not silently ignored or overridden (`granularty=day` would
 * otherwise answer hourly counts).
 */
const queryOf = (path: string) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (req): Effect.Effect<Query, ApiBadRequest> => {
    const allowed = QUERY_PARAMETERS[path] ?? []
    const out: Record<string, string> = {}
    for (const [name, value] of new URL(req.url, "http://localhost").searchParams) {
      if (!allowed.includes(name))
        return Effect.fail(new ApiBadRequest({ detail: `unknown query parameter "${name}": ${path} takes ${allowed.length === 0 ? "none" : allowed.join(", ")}` }))
      if (Object.hasOwn(out, name)) return Effect.fail(new ApiBadRequest({ detail: `query parameter "${name}" is given more than once` }))
      out[name] = value
    }
    return Effect.succeed(out)
  })

const json = (body: unknown) => HttpServerResponse.unsafeJson(body)

const digest = (text: string): Buffer => Buffer.from(nodeSha256(text), "hex")

/** Constant-time comparison of the presented bearer token with the configured one (digests: equal lengths whatever is presented). */
export const tokenMatches = (header: string | undefined, token: string): boolean =>
  timingSafeEqual(digest(/^Bearer (.+)$/.exec(header ?? "")?.[1] ?? ""), digest(token))

export const makeRouter = (o: HttpOptions) => {
  const answer = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.map(json),
      Effect.catchAll((e) =>
        Effect.succeed(
          e instanceof ApiBadRequest
            ? problem(400, "Bad Request", e.detail)
            : e instanceof ApiNotFound
              ? problem(404, "Not Found", e.detail)
              : problem(500, "Internal Server Error", redactSecrets(e instanceof Error ? e.message.split("\n")[0]! : String(e)))
        )
      )
    )
  const router = HttpRouter.empty.pipe(
    HttpRouter.get("/health", Effect.succeed(json(encode(Health, { status: "ok" as const })))),
    HttpRouter.get(
      "/ready",
      Effect.map(o.ready, (r) => HttpServerResponse.unsafeJson(encode(Ready, r), { status: r.ready ? 200 : 503 }))
    ),
    HttpRouter.get("/counts", answer(Effect.flatMap(queryOf("/counts"), (q) => countsAnswer(q, o.defaultAccount)))),
    HttpRouter.get("/forecasts", answer(Effect.flatMap(queryOf("/forecasts"), (q) => forecastsAnswer(q, o.defaultAccount)))),
    HttpRouter.get("/forecasts/:id", answer(Effect.flatMap(HttpRouter.params, (p) => forecastAnswer(p.id ?? "")))),
    HttpRouter.get("/backtests/latest", answer(Effect.flatMap(queryOf("/backtests/latest"), (q) => backtestAnswer(q, o.defaultAccount)))),
    HttpRouter.get("/openapi.json", Effect.succeed(json(openApiDocument(packageManifest().version)))),
    HttpRouter.get("/metrics", Effect.map(o.metrics, (text) => HttpServerResponse.text(text, { contentType: "text/plain; version=0.0.4" })))
  )
  const guarded = Effect.gen(function* () {
    const req = yield* HttpServerRequest.HttpServerRequest
    const path = new URL(req.url, "http://localhost").pathname
    if (req.method !== "GET" && req.method !== "HEAD") return problem(405, "Method Not Allowed", `${req.method} is not served: the API is read-only`)
    if (Option.isSome(o.token) && path !== "/health" && !tokenMatches(req.headers.authorization, Redacted.value(o.token.value)))
      return problem(401, "Unauthorized", "this API needs Authorization: Bearer <MUSKTRACKER_API_TOKEN>")
    return yield* router
  }).pipe(
    Effect.catchTag("RouteNotFound", () => Effect.succeed(problem(404, "Not Found", "no such endpoint (see docs/api.md)"))),
    Effect.catchAllCause((cause) => Effect.succeed(problem(500, "Internal Server Error", redactSecrets(String(cause).split("\n")[0]!))))
  )
  return guarded
}
