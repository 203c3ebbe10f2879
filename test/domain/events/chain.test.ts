/** The chain's encoding of an event: the pieces a store writes anyway give the same text as the whole. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { createHash } from "node:crypto"
import { chainHash, GENESIS_HASH, linkEvent } from "../../../src/domain/events/chain"
import { sha256Hex as sha256 } from "../../../src/domain/hash"
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
  it("a link hashes the previous hash and the canonical JSON of the whole event (ids lower-cased), built from the payload encoded once", () => {
    fc.assert(
      fc.property(event, (e) => {
        const whole = canonicalJson({ id: e.id.toLowerCase(), stream: e.stream, revision: e.revision, type: e.type, data: e.data, metadata: e.metadata })
        const link = linkEvent(GENESIS_HASH, e, e.stream, e.revision, sha256)
        expect([link.dataJson, link.metadataJson]).toEqual([canonicalJson(e.data), canonicalJson(e.metadata)])
        // the link hashes the previous hash, a newline and that text (SHA-256 computed here by Node)
        expect(chainHash(GENESIS_HASH, e, sha256)).toBe(createHash("sha256").update(`${GENESIS_HASH}\n${whole}`, "utf8").digest("hex"))
      }),
      { numRuns: 300 }
    )
  })
})
