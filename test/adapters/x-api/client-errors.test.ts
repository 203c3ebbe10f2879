/** Failures that stop at once: 401, 403, 400, unknown user, missing token, malformed bodies. */
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ENDPOINTS, XApiClient } from "../../../src/adapters/x-api/client"
import { type FakeXServer, startFakeXServer } from "../../../src/adapters/x-api/fake-server"
import { DAY_MS } from "../../../src/domain/time"
import { captureLogs, ELON_ID, failureOf, makeTweets } from "./helpers"

let server: FakeXServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const NOW = Date.now()
const fail = failureOf

describe("XApiClient errors", () => {
  it("401: a wrong token is one clear line, not retried, and the token never appears", async () => {
    server = await startFakeXServer({ tweets: makeTweets(5, NOW - 60_000, 60_000) })
    const logs = captureLogs()
    const wrong = "wrong-secret-token-123"
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.lookupUser("elonmusk")), { token: wrong, logs })
    expect(err._tag).toBe("XApiUnauthorized")
    expect(err.message).toMatch(/^X API rejected the bearer token \(401\)/)
    expect(err.message).not.toContain("\n")
    expect(err.message).not.toContain(wrong)
    expect(logs.lines.some((l) => l.message.includes(wrong))).toBe(false)
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]!.outcome).toBe("unauthorized")
  })

  it("no token: a typed error with a clear message, and nothing is sent", async () => {
    server = await startFakeXServer()
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.lookupUser("elonmusk")), { token: undefined })
    expect(err._tag).toBe("XApiMissingToken")
    expect(err.message).toMatch(/^X_BEARER_TOKEN is not set/)
    expect(server.requests).toHaveLength(0)
  })

  it("an unknown account (X answers 200 with a resource-not-found problem) is XApiUserNotFound", async () => {
    server = await startFakeXServer()
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.lookupUser("@nosuchuser")))
    expect(err._tag).toBe("XApiUserNotFound")
    expect(err.message).toBe("X has no user @nosuchuser")
    expect(server.requests[0]!.status).toBe(200)
  })

  it("an impossible username is refused before any request", async () => {
    server = await startFakeXServer()
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.lookupUser("not-a-name!")))
    expect(err._tag).toBe("XApiBadRequest")
    expect(err.message).toContain("not a valid X username")
    expect(server.requests).toHaveLength(0)
  })

  it("400: X's parameter message is surfaced and the request is not retried", async () => {
    server = await startFakeXServer({ tweets: makeTweets(5, NOW - 60_000, 60_000) })
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.searchRecent("from:elonmusk", { startTime: NOW - 8 * DAY_MS })))
    expect(err._tag).toBe("XApiBadRequest")
    expect(err.message).toMatch(/^X API rejected the request \(400\) to GET \/2\/tweets\/search\/recent: .*start_time/)
    expect(server.requests).toHaveLength(1)
  })

  it("403 stops at once", async () => {
    server = await startFakeXServer({ tweets: makeTweets(5, NOW - 60_000, 60_000) })
    server.inject.serverError(1, { status: 403 })
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)))
    expect(err._tag).toBe("XApiForbidden")
    expect(err.message).toMatch(/^X API refused access \(403\)/)
    expect(server.requests).toHaveLength(1)
  })

  it("a 200 body missing a required field is a decode error naming the field, not retried", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.missingField(1, { endpoint: ENDPOINTS.userTweets, field: "created_at" })
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)))
    expect(err._tag).toBe("XApiDecodeError")
    if (err._tag !== "XApiDecodeError") return
    expect(err.issues).toContain("data[0].created_at: is missing")
    expect(err.message).toContain("GET /2/users/:id/tweets")
    expect(err.message).toContain("data[0].created_at")
    expect(server.requests).toHaveLength(1)
  })

  it("a counts bucket without a count names both accepted spellings", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.missingField(1, { endpoint: ENDPOINTS.countsRecent, field: "tweet_count" })
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.countsRecent("from:elonmusk")))
    expect(err._tag).toBe("XApiDecodeError")
    expect(err.message).toContain("data[0].tweet_count")
    expect(err.message).toContain("data[0].post_count")
  })

  it("a body that is not JSON is a decode error", async () => {
    server = await startFakeXServer({ tweets: makeTweets(20, NOW - 60_000, 60_000) })
    server.inject.notJson(1)
    const err = await fail(server, Effect.flatMap(XApiClient, (x) => x.userTweets(ELON_ID)))
    expect(err._tag).toBe("XApiDecodeError")
    expect(err.message).toContain("body is not JSON")
  })
})
