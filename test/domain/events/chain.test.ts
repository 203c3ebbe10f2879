/** The chain's encoding of an event: the pieces a store writes anyway give the same text as the whole. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { chainInput, encodeChained, GENESIS_HASH } from "../../../src/domain/events/chain"
import { canonicalJson } from "../../../src/domain/hash"

const event = fc.record({
  id: fc.uuid().map((u) => u.toUpperCase()),
  stream: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
  revision: fc.nat(),
  type: fc.string({ minLength: 1, maxLength: 12 }),
  data: fc.jsonValue(),
  metadata: fc.record({ schemaVersion: fc.nat(), codeVersion: fc.string(), correlationId: fc.option(fc.uuid(), { nil: undefined }) })
})

describe("hash-chain encoding", () => {
  it("encodeChained from encoded payload and metadata equals canonicalJson of the whole event (ids lower-cased)", () => {
    fc.assert(
      fc.property(event, (e) => {
        const whole = canonicalJson({ id: e.id.toLowerCase(), stream: e.stream, revision: e.revision, type: e.type, data: e.data, metadata: e.metadata })
        expect(encodeChained(e, canonicalJson(e.data), canonicalJson(e.metadata))).toBe(whole)
        expect(chainInput(GENESIS_HASH, e)).toBe(`${GENESIS_HASH}\n${whole}`)
      }),
      { numRuns: 300 }
    )
  })
})
