/** Parsing `serve`'s option values (pure): durations like `5m`, and `--listen HOST:PORT`. */
import { isIPv4, isIPv6 } from "node:net"

/**
 * The longest interval: timers (setTimeout, and Effect's sleep over it) hold at most 2^31 - 1 ms, and
 * Effect treats a longer sleep as forever, so `--poll-every 30d` would poll once and never again.
 */
export const MAX_EVERY_MS = 24 * 86_400_000

/** `30s`, `5m`, `1h`, `2d` as milliseconds (1 s to 24 days), or why not. */
export const parseEvery = (raw: string): number | string => {
  const m = /^\s*(\d+)\s*(s|m|h|d)\s*$/.exec(raw)
  if (!m) return `"${raw}" is not a duration like 30s, 5m, 1h or 1d`
  const ms = Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"]
  if (ms < 1_000) return `"${raw}" is shorter than one second`
  return ms <= MAX_EVERY_MS ? ms : `"${raw}" is longer than the maximum of 24d`
}

/**
 * `HOST:PORT` (IPv4 or a name; `[::1]:8080` for IPv6), port 0 (any free one) to 65535. A host of digits
 * and dots must be an IPv4 address and a bracketed one an IPv6 address (`999.1.1.1` is a typo, not a
 * name to look up).
 */
export const parseListen = (raw: string): { readonly host: string; readonly port: number } | string => {
  const m = /^\s*(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})\s*$/.exec(raw)
  const port = m ? Number(m[3]) : Number.NaN
  if (!m) return `"${raw}" is not HOST:PORT (e.g. 127.0.0.1:8080)`
  if (port > 65_535) return `"${raw}": port ${port} is not in 0..65535`
  if (m[1] !== undefined && !isIPv6(m[1])) return `"${raw}": [${m[1]}] is not an IPv6 address`
  if (m[2] !== undefined && /^[\d.]+$/.test(m[2]) && !isIPv4(m[2])) return `"${raw}": ${m[2]} is not an IPv4 address`
  return { host: m[1] ?? m[2]!, port }
}
