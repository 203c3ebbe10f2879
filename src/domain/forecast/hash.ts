/**
 * Fingerprints recorded in ForecastIssued so `forecast reproduce` can say *what* differs: a hash of the
 * model inputs (hourly counts, event instants, exogenous intensities) and of the model spec. Two
 * independent 32-bit FNV-1a style hashes (different offset bases) over the exact float64 bytes give 64
 * bits: plenty to detect a change, not meant to resist tampering.
 */
import type { ModelInputs } from "../models/model"

const hash64 = (chunks: ReadonlyArray<ArrayLike<number> | string>): string => {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193 ^ 0x5bd1e995
  const byte = (b: number) => {
    h1 = Math.imul(h1 ^ b, 0x01000193)
    h2 = Math.imul(h2 ^ b, 0x5bd1e995) ^ (h2 >>> 15)
  }
  const buf = new DataView(new ArrayBuffer(8))
  for (const chunk of chunks) {
    if (typeof chunk === "string") {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i)
        byte(c & 0xff)
        byte(c >>> 8)
      }
    } else {
      for (let i = 0; i < chunk.length; i++) {
        buf.setFloat64(0, chunk[i]!)
        for (let k = 0; k < 8; k++) byte(buf.getUint8(k))
      }
    }
    byte(0xff) // chunk separator
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0")
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : ArrayBuffer.isView(v)
        ? Array.from(v as unknown as ArrayLike<number>)
        : v
  )

export const hashInputs = (inputs: ModelInputs): string =>
  hash64([[inputs.origin, inputs.hourly.start], inputs.hourly.counts, inputs.eventTimes, inputs.exogenous ?? []])

export const hashJson = (value: unknown): string => hash64([canonicalJson(value)])
