/**
 * How long to wait before reconnecting to X's filtered stream, as X documents it for the stream:
 * - network errors (the connection dropped or stalled): back off linearly, 250 ms more each attempt,
 *   up to 16 s;
 * - HTTP errors (5xx and others): exponentially from 5 s, doubling, up to 320 s;
 * - HTTP 429 (too many connections or requests): exponentially from 1 minute, doubling (capped here at
 *   16 minutes, beyond which a wait says more about the app's standing than about the stream).
 * `attempt` counts consecutive failures of the same kind, from 1; a connection that delivered data
 * resets it. `scale` shrinks every delay (tests run the same policy in milliseconds).
 */
export type DisconnectKind = "network" | "http" | "rate-limited"

export const reconnectDelayMs = (kind: DisconnectKind, attempt: number, scale = 1): number => {
  const n = Math.max(1, Math.floor(attempt))
  const ms =
    kind === "network"
      ? Math.min(250 * n, 16_000)
      : kind === "http"
        ? Math.min(5_000 * 2 ** (n - 1), 320_000)
        : Math.min(60_000 * 2 ** (n - 1), 960_000)
  return ms * scale
}
