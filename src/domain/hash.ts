/**
 * The one hash module of the domain (pure; no Node crypto, so the domain imports no I/O module):
 * - `sha256Hex`: SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, for content fingerprints that must
 *   match what any other tool computes (feature spec hashes);
 * - `fnv1a32`: FNV-1a 32-bit of a string's UTF-16 code units, for deriving seeds;
 * - `hash64`: two independent 32-bit FNV-style hashes over exact float64 bytes and strings, for
 *   detecting a changed forecast input (64 bits; not meant to resist tampering);
 * - `canonicalJson`: JSON with sorted object keys, so equal values hash equally.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
])

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n))

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lower-case hex digits. */
export const sha256Hex = (text: string): string => {
  const data = new TextEncoder().encode(text)
  const bitLength = data.length * 8
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64)
  padded.set(data)
  padded[data.length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32))
  view.setUint32(padded.length - 4, bitLength >>> 0)
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
  const w = new Uint32Array(64)
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + 4 * i)
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15]!, 7) ^ rotr(w[i - 15]!, 18) ^ (w[i - 15]! >>> 3)
      const s1 = rotr(w[i - 2]!, 17) ^ rotr(w[i - 2]!, 19) ^ (w[i - 2]! >>> 10)
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as [number, number, number, number, number, number, number, number]
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) >>> 0
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0
      hh = g
      g = f
      f = e
      e = (d + t1) >>> 0
      d = c
      c = b
      b = a
      a = (t1 + t2) >>> 0
    }
    h[0] = (h[0]! + a) >>> 0
    h[1] = (h[1]! + b) >>> 0
    h[2] = (h[2]! + c) >>> 0
    h[3] = (h[3]! + d) >>> 0
    h[4] = (h[4]! + e) >>> 0
    h[5] = (h[5]! + f) >>> 0
    h[6] = (h[6]! + g) >>> 0
    h[7] = (h[7]! + hh) >>> 0
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, "0")).join("")
}

/** FNV-1a 32-bit hash of a string: stable across platforms and versions. */
export const fnv1a32 = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** 64-bit fingerprint (16 hex digits) of strings and the exact float64 bytes of number arrays. */
export const hash64 = (chunks: ReadonlyArray<ArrayLike<number> | string>): string => {
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

/** Characters JSON.stringify escapes in a string: quotes, backslashes, controls and lone surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

const isArrayIndex = (k: string): boolean => /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295

/**
 * Member order: array-index keys ("0", "7", "12") first in numeric order, as JavaScript enumerates any
 * object's keys, then the others sorted by UTF-16 code units. (The order the first encoder, a
 * key-sorting JSON.stringify replacer, produced; recorded hashes depend on it.)
 */
const memberOrder = (o: object): string[] => {
  const keys = Object.keys(o)
  let indices = 0
  while (indices < keys.length && isArrayIndex(keys[indices]!)) indices++
  return indices === 0 ? keys.sort() : [...keys.slice(0, indices), ...keys.slice(indices).sort()]
}

const quote = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`)

const encode = (v: unknown, key: string): string | undefined => {
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function")
    v = (v as { toJSON: (k: string) => unknown }).toJSON(key)
  switch (typeof v) {
    case "string":
      return quote(v)
    case "number":
      if (!Number.isFinite(v)) throw new RangeError("canonical JSON has no NaN or Infinity")
      return `${v}`
    case "boolean":
      return v ? "true" : "false"
    case "bigint":
      throw new TypeError("canonical JSON cannot encode a bigint")
    case "object": {
      if (v === null) return "null"
      if (Array.isArray(v) || ArrayBuffer.isView(v)) {
        const items = v as ArrayLike<unknown>
        let out = "["
        for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : ",") + (encode(items[i], String(i)) ?? "null")
        return `${out}]`
      }
      const o = v as Record<string, unknown>
      let out = "{"
      for (const k of memberOrder(o)) {
        const member = encode(o[k], k)
        if (member !== undefined) out += (out.length === 1 ? "" : ",") + quote(k) + ":" + member
      }
      return `${out}}`
    }
    default:
      // undefined, functions and symbols: left out of objects, null in arrays (as JSON.stringify does).
      return undefined
  }
}

/**
 * JSON with object keys sorted at every level and no whitespace: one text per value, so equal values
 * hash equally whatever their key order (member order: see memberOrder). The same text as JSON.stringify with a key-sorting replacer
 * (a property test checks it), written out directly because the event log's hash chain encodes every
 * event: typed arrays are written as arrays; undefined members are left out; toJSON is honoured; NaN and
 * Infinity are refused rather than silently written as null.
 */
export const canonicalJson = (value: unknown): string => {
  const out = typeof value === "function" || typeof value === "symbol" || value === undefined ? undefined : encode(value, "")
  if (out === undefined) throw new TypeError(`canonical JSON cannot encode a ${typeof value}`)
  return out
}
