/** The domain's hash module against Node's own SHA-256 (the only place the tests need node:crypto). */
import { createHash } from "node:crypto"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { canonicalJson, fnv1a32, sha256Hex } from "../../src/domain/hash"

describe("hash module", () => {
  it("sha256Hex equals node:crypto's SHA-256 on the standard vectors and on any string (UTF-8)", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => sha256Hex(s) === createHash("sha256").update(s, "utf8").digest("hex")))
    // lengths around the 55/56/64-byte padding boundaries
    for (const n of [54, 55, 56, 57, 63, 64, 65, 119, 120])
      expect(sha256Hex("x".repeat(n))).toBe(createHash("sha256").update("x".repeat(n)).digest("hex"))
  })

  it("fnv1a32 is the published FNV-1a", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5)
    expect(fnv1a32("a")).toBe(0xe40c292c)
    expect(fnv1a32("foobar")).toBe(0xbf9cf968)
  })

  it("canonicalJson sorts keys, writes typed arrays as arrays and refuses NaN", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: Float64Array.of(1.5) }], u: undefined })).toBe('{"a":[2,{"c":[1.5],"d":3}],"b":1}')
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(RangeError)
    expect(() => canonicalJson(undefined)).toThrow(TypeError)
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError)
  })

  it("canonicalJson writes what JSON.stringify with a key-sorting replacer writes (the encoding the hash chain was built with)", () => {
    const sortingReplacer = (_key: string, v: unknown): unknown => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return v
      if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>)
      const o = v as Record<string, unknown>
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))
    }
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.string({ unit: "binary" }),
        fc.string({ unit: "grapheme" }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true })
      ),
      node: fc.oneof({ depthSize: "small" }, tie("leaf"), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), tie("node"), { maxKeys: 5 }))
    })).node
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 6 }), (v) => canonicalJson(v) === JSON.stringify(v, sortingReplacer)),
      { numRuns: 1000 }
    )
    expect(canonicalJson({ t: "\u2028\ud800\"\\\n😀", d: new Date(0), f: Float32Array.of(0.5, -0) })).toBe(
      JSON.stringify({ d: new Date(0), f: [0.5, 0], t: "\u2028\ud800\"\\\n😀" })
    )
  })
})
