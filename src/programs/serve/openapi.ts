/**
 * The API's OpenAPI 3.1 document, generated from the same effect/Schema definitions the handlers encode
 * their answers with (./schemas.ts), so the document cannot drift from what is served. Served at
 * `GET /openapi.json`.
 */
import { JSONSchema, type Schema } from "effect"
import { BacktestLatest, Counts, ForecastDetail, ForecastList, Health, Problem, Ready } from "./schemas"

/** Definitions shared between the bodies (e.g. `Int`), hoisted into components.schemas. */
const shared: Record<string, unknown> = {}

/** A body's JSON Schema with its `$defs` moved to the components and its refs pointed there. */
const schemaOf = (s: Schema.Schema<any, any>) => {
  const { $schema: _drop, $defs, ...rest } = JSONSchema.make(s, { target: "openApi3.1" }) as unknown as Record<string, unknown>
  const repoint = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll('"#/$defs/', '"#/components/schemas/')) as unknown
  for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, unknown>)) shared[name] = repoint(def)
  return repoint(rest)
}

const json = (ref: string, description: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } })
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } })
const query = (name: string, description: string, extra: Record<string, unknown> = {}) => ({ name, in: "query", required: false, description, schema: { type: "string", ...extra } })
const account = query("account", "the account (a handle); default: the first of serve's --account")

export const openApiDocument = (version: string) => ({
  openapi: "3.1.0",
  info: { title: "MuskTracker read-only API", version, description: "Counts, forecasts and backtests of the tracked X accounts (docs/api.md)." },
  components: {
    schemas: {
      Health: schemaOf(Health),
      Ready: schemaOf(Ready),
      Counts: schemaOf(Counts),
      ForecastList: schemaOf(ForecastList),
      ForecastDetail: schemaOf(ForecastDetail),
      BacktestLatest: schemaOf(BacktestLatest),
      Problem: schemaOf(Problem),
      ...shared
    },
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "MUSKTRACKER_API_TOKEN, when the server sets one" } }
  },
  security: [{ bearer: [] }],
  paths: {
    "/health": { get: { summary: "Liveness", security: [], responses: { "200": json("Health", "the process runs") } } },
    "/ready": { get: { summary: "Readiness: store, projection lag, ingest age", responses: { "200": json("Ready", "ready"), "503": json("Ready", "not ready (the checks say why)") } } },
    "/counts": {
      get: {
        summary: "Tweets per UTC hour or day",
        parameters: [
          query("from", "start, ISO 8601 instant (default: 7 days or 90 days before to)"),
          query("to", "end, exclusive (default: the end of the account's data)"),
          query("granularity", "hour (default) or day", { enum: ["hour", "day"] }),
          query("count", "all (default), no-replies, or kinds such as post,quote"),
          account
        ],
        responses: {
          "200": json("Counts", "the buckets, zeros included"),
          "400": problem("a bad query value, or an unknown or repeated parameter, named"),
          "401": problem("the bearer token is missing or wrong"),
          "404": problem("an account the store has never seen")
        }
      }
    },
    "/forecasts": {
      get: {
        summary: "The latest forecast of each window",
        parameters: [query("window", "START/END: only this window"), account],
        responses: { "200": json("ForecastList", "newest first"), "400": problem("a bad query value, or an unknown or repeated parameter, named"), "401": problem("the bearer token is missing or wrong") }
      }
    },
    "/forecasts/{id}": {
      get: {
        summary: "One forecast: quantiles, hourly means, brackets, model, watermark, score",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: { "200": json("ForecastDetail", "the forecast"), "404": problem("no such forecast"), "401": problem("the bearer token is missing or wrong") }
      }
    },
    "/backtests/latest": {
      get: {
        summary: "The account's reference backtest",
        parameters: [account],
        responses: { "200": json("BacktestLatest", "per-model averages"), "400": problem("a bad account, or an unknown or repeated parameter, named"), "404": problem("no completed backtest"), "401": problem("the bearer token is missing or wrong") }
      }
    },
    "/metrics": { get: { summary: "Prometheus text exposition", responses: { "200": { description: "metrics", content: { "text/plain": { schema: { type: "string" } } } } } } },
    "/openapi.json": { get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } } } }
  }
})
