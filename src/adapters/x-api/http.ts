/**
 * One X API GET, end to end: rate-limit gate, bearer auth, per-attempt timeout, status classification
 * into typed errors, retries by the retry schedule, then schema decoding of the 2xx body.
 */
import { redactSecrets } from "../redact"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Duration, Effect, ParseResult, Redacted, Schema, Stream } from "effect"
import {
  XApiBadRequest,
  XApiDecodeError,
  type XApiError,
  XApiForbidden,
  XApiNotFound,
  XApiRateLimited,
  XApiServerError,
  XApiTimeout,
  XApiTransportError,
  XApiUnauthorized
} from "./errors"
import type { ResolvedOptions } from "./options"
import { parseRateLimitHeaders, type RateLimiter } from "./rate-limit"
import { retrySchedule } from "./retry"
import { describeProblem, ErrorBody } from "./schemas"

export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

export interface XHttp {
  /** GET `path` (already URL-encoded) with query `params`; `endpoint` names it in logs, errors and rate limits. */
  readonly get: <A, I>(
    endpoint: string,
    path: string,
    params: Readonly<Record<string, string | undefined>>,
    schema: Schema.Schema<A, I>
  ) => Effect.Effect<A, XApiError>
  /** POST a JSON body to `path`, decoded as `get` decodes. */
  readonly post: <A, I>(endpoint: string, path: string, body: unknown, schema: Schema.Schema<A, I>) => Effect.Effect<A, XApiError>
  /**
   * A long-lived GET (X's filtered stream): connects once through the rate limiter (no retry: the
   * caller reconnects with its own back-off), fails with the typed error of a non-200 answer, and
   * otherwise emits the body's lines as they arrive (empty lines are X's keep-alives).
   */
  readonly lines: (endpoint: string, path: string, params: Readonly<Record<string, string | undefined>>) => Stream.Stream<string, XApiError>
}

/** `data[0].created_at: is missing`, one line per issue. */
export const formatParseIssues = (error: ParseResult.ParseError): ReadonlyArray<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
    const path = issue.path
      .map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
      .join("")
    return path ? `${path}: ${issue.message}` : issue.message
  })

/** What an error answer says, redacted: a server or proxy may echo the request's Authorization header. */
const errorDetail = (body: string): string | undefined => {
  const detail = rawErrorDetail(body)
  return detail === undefined ? undefined : redactSecrets(detail)
}

const rawErrorDetail = (body: string): string | undefined => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    const text = body.trim().slice(0, 200)
    return text.length > 0 ? text : undefined
  }
  const decoded = Schema.decodeUnknownOption(ErrorBody)(json)
  if (decoded._tag === "None") return undefined
  const b = decoded.value
  // X's 400s carry the useful message per parameter in `errors`; the top-level detail is generic.
  const nested = (b.errors ?? []).map(describeProblem)
  if (nested.length > 0) return nested.join("; ")
  return b.detail ?? b.title
}

/** Map a non-2xx answer to its typed error; a 2xx answer to its parsed JSON. */
export const classify = (endpoint: string, raw: RawResponse): Effect.Effect<unknown, XApiError> => {
  const { status } = raw
  if (status >= 200 && status < 300) {
    return Effect.try({
      try: () => JSON.parse(raw.body) as unknown,
      catch: (e) => new XApiDecodeError({ endpoint, issues: [`body is not JSON (${(e as Error).message})`] })
    })
  }
  const detail = errorDetail(raw.body)
  if (status === 401) return Effect.fail(new XApiUnauthorized({ endpoint, detail }))
  if (status === 403) return Effect.fail(new XApiForbidden({ endpoint, detail }))
  if (status === 400) return Effect.fail(new XApiBadRequest({ endpoint, detail }))
  if (status === 429) {
    const window = parseRateLimitHeaders(raw.headers)
    return Effect.fail(new XApiRateLimited({ endpoint, resetAtMs: window?.resetAtMs, detail }))
  }
  if (status >= 500) return Effect.fail(new XApiServerError({ endpoint, status, detail }))
  return Effect.fail(new XApiNotFound({ endpoint, status, detail }))
}

export const decodeBody = <A, I>(endpoint: string, schema: Schema.Schema<A, I>, json: unknown) =>
  Schema.decodeUnknown(schema)(json, { errors: "all" }).pipe(
    Effect.mapError((e) => new XApiDecodeError({ endpoint, issues: formatParseIssues(e) }))
  )

export const makeXHttp = (args: {
  readonly client: HttpClient.HttpClient
  readonly baseUrl: string
  readonly token: Redacted.Redacted<string>
  readonly limiter: RateLimiter
  readonly options: ResolvedOptions
}): XHttp => {
  const base = args.baseUrl.replace(/\/+$/, "")
  // No trace headers to X; and the platform client redacts `authorization` in its own spans.
  const client = args.client.pipe(HttpClient.withTracerPropagation(false))
  const timeout = Duration.millis(args.options.timeoutMs)

  const transportError = (endpoint: string) => (e: { readonly message: string; readonly cause?: unknown }) =>
    new XApiTransportError({ endpoint, reason: redactSecrets(e.cause instanceof Error ? e.cause.message : e.message) })
  const withTimeout = (endpoint: string) =>
    Effect.timeoutFail({ duration: timeout, onTimeout: () => new XApiTimeout({ endpoint, timeoutMs: args.options.timeoutMs }) })
  const getRequest = (path: string, params: Readonly<Record<string, string | undefined>>) => {
    const query: Record<string, string> = {}
    for (const [k, v] of Object.entries(params)) if (v !== undefined) query[k] = v
    return HttpClientRequest.get(base + path).pipe(HttpClientRequest.setUrlParams(query), HttpClientRequest.bearerToken(args.token))
  }

  const sendOnce = (endpoint: string, request: HttpClientRequest.HttpClientRequest) =>
    client.execute(request).pipe(
      Effect.flatMap((res) =>
        Effect.map(res.text, (body): RawResponse => ({ status: res.status, headers: res.headers, body }))
      ),
      Effect.mapError(transportError(endpoint)),
      withTimeout(endpoint)
    )

  /** One request through the rate limiter, classified, retried as the options say, decoded. */
  const call = <A, I>(endpoint: string, request: HttpClientRequest.HttpClientRequest, schema: Schema.Schema<A, I>) =>
    args.limiter.run(endpoint, sendOnce(endpoint, request)).pipe(
      Effect.flatMap((raw) => classify(endpoint, raw)),
      Effect.retry(retrySchedule(args.options)),
      Effect.flatMap((json) => decodeBody(endpoint, schema, json))
    )

  const get: XHttp["get"] = (endpoint, path, params, schema) =>
    call(endpoint, getRequest(path, params).pipe(HttpClientRequest.acceptJson), schema)

  const post: XHttp["post"] = (endpoint, path, body, schema) =>
    call(
      endpoint,
      HttpClientRequest.post(base + path).pipe(HttpClientRequest.bearerToken(args.token), HttpClientRequest.acceptJson, HttpClientRequest.bodyUnsafeJson(body)),
      schema
    )

  const lines: XHttp["lines"] = (endpoint, path, params) =>
    Stream.unwrapScoped(
      Effect.gen(function* () {
        const res = yield* args.limiter.run(endpoint, client.execute(getRequest(path, params)).pipe(Effect.mapError(transportError(endpoint)), withTimeout(endpoint)))
        if (res.status !== 200) {
          const body = yield* Effect.orElseSucceed(res.text, () => "")
          return yield* Effect.flatMap(classify(endpoint, { status: res.status, headers: res.headers, body }), () =>
            Effect.fail(new XApiServerError({ endpoint, status: res.status, detail: "unexpected answer to a stream connect" }))
          )
        }
        return res.stream.pipe(Stream.mapError(transportError(endpoint)), Stream.decodeText(), Stream.splitLines)
      })
    )

  return { get, post, lines }
}
