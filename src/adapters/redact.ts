/**
 * The one redaction step for everything MuskTracker prints or logs: error lines, log lines, response
 * bodies and URLs. It removes the secrets it knows (the X bearer token, the API token, passwords of the
 * configured database and EventStoreDB URLs) wherever they appear, and, whatever their value,
 * `Bearer <token>`, `Authorization` header values and URL passwords.
 */

const MASK = "***"

const urlPassword = (url: string | undefined): string | undefined => {
  if (url === undefined || url === "") return undefined
  try {
    const p = decodeURIComponent(new URL(url).password)
    return p === "" ? undefined : p
  } catch {
    return undefined
  }
}

/** The secret values the environment holds (never shorter than 4 characters: masking "a" would garble text). */
export const knownSecrets = (env: NodeJS.ProcessEnv = process.env): ReadonlyArray<string> =>
  [env.X_BEARER_TOKEN, env.MUSKTRACKER_API_TOKEN, urlPassword(env.DATABASE_URL), urlPassword(env.EVENTSTORE_URL)].filter(
    (s): s is string => s !== undefined && s.trim().length >= 4
  )

export const redactSecrets = (text: string, secrets: ReadonlyArray<string> = knownSecrets()): string => {
  let out = text
  for (const s of secrets) {
    out = out.split(s).join(MASK)
    // also as it appears URL- or JSON-encoded
    const encoded = encodeURIComponent(s)
    if (encoded !== s) out = out.split(encoded).join(MASK)
  }
  return out
    // "Bearer <credential>", but not the prose "a bearer token" (X_BEARER_TOKEN's own error line says it).
    .replace(/\b(Bearer)\s+(?!tokens?\b)[A-Za-z0-9\-._~+/%=]+/gi, `$1 ${MASK}`)
    .replace(/(["']?authorization["']?\s*[:=]\s*["']?)(?!Bearer \*\*\*)[^"',\n}]+/gi, `$1${MASK}`)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s/]+@/gi, `$1${MASK}@`)
}
