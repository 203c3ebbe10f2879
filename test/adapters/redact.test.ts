/** The redaction step: known secrets and secret-shaped text never survive it. */
import { describe, expect, it } from "vitest"
import { knownSecrets, redactSecrets } from "../../src/adapters/redact"

describe("redactSecrets", () => {
  it("masks the configured secrets wherever they appear, also URL-encoded", () => {
    const secrets = knownSecrets({ X_BEARER_TOKEN: "AAAA%2Fsecret/token", DATABASE_URL: "postgres://app:p%40ss@db:5432/x", MUSKTRACKER_API_TOKEN: "api-token-1" })
    expect(secrets).toEqual(["AAAA%2Fsecret/token", "api-token-1", "p@ss"])
    const text = "token AAAA%2Fsecret/token in AAAA%252Fsecret%2Ftoken; api-token-1; password p@ss"
    const out = redactSecrets(text, secrets)
    for (const s of secrets) expect(out).not.toContain(s)
    expect(out).not.toContain("AAAA%252Fsecret%2Ftoken")
  })

  it("masks any bearer token, Authorization header value and URL password, known or not", () => {
    expect(redactSecrets('headers {"authorization":"Bearer abc.DEF-123","accept":"application/json"}', [])).toBe(
      'headers {"authorization":"Bearer ***","accept":"application/json"}'
    )
    expect(redactSecrets("Authorization: Basic dXNlcjpwYXNz", [])).toBe("Authorization: ***")
    expect(redactSecrets("could not reach postgres://user:hunter2@10.0.0.1/db", [])).toBe("could not reach postgres://user:***@10.0.0.1/db")
    expect(redactSecrets("nothing secret here: 42 posts", [])).toBe("nothing secret here: 42 posts")
    expect(redactSecrets("sent Bearer tokenXYZ-123 and bearer AAAAtoken", [])).toBe("sent Bearer *** and bearer ***")
  })

  it("leaves the prose 'bearer token' alone, so the missing-token error still says what is missing", () => {
    const line = "X_BEARER_TOKEN is not set: the X API needs a bearer token (set X_BEARER_TOKEN in the environment or .env)"
    expect(redactSecrets(line, [])).toBe(line)
    expect(redactSecrets("two Bearer tokens were sent", [])).toBe("two Bearer tokens were sent")
  })

  it("ignores secrets too short to mask without garbling text", () => {
    expect(knownSecrets({ X_BEARER_TOKEN: "ab" })).toEqual([])
  })
})
