import { createHash } from "node:crypto"
import { Chunk, Effect, Either, Schema, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { decodeCatalogEvent, decodeCatalogStream, decodeEvent } from "../../../src/domain/events/catalog"
import { EVENT_ID_NAMESPACE, EventDecodeError, EventEncodeError, defineEvent, eventIdFor, makeDecoder } from "../../../src/domain/events/codec"
import type { NewEvent, RecordedEvent } from "../../../src/domain/events/envelope"
import { TweetObserved, type TweetObservedData } from "../../../src/domain/events/tweet"

/** RFC 4122 UUID v5 computed independently of the `uuid` package. */
const referenceV5 = (name: string, namespace: string): string => {
  const ns = Buffer.from(namespace.replaceAll("-", ""), "hex")
  const h = createHash("sha1").update(Buffer.concat([ns, Buffer.from(name, "utf8")])).digest()
  const b = h.subarray(0, 16)
  b[6] = (b[6]! & 0x0f) | 0x50
  b[8] = (b[8]! & 0x3f) | 0x80
  const hex = b.toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

const tweet: TweetObservedData = {
  tweetId: "1600000000000000001",
  authorId: "44196397",
  account: "elonmusk",
  createdAt: "2022-12-06T07:00:00Z",
  kind: "quote",
  referencedIds: ["1599999999999999999"],
  observedAt: "2025-12-31T23:59:59.500Z",
  source: "api"
}
const ctx = { codeVersion: "musktracker@0.1.0+abc", correlationId: "run-1" }

const recorded = (e: NewEvent, over: Partial<RecordedEvent> = {}): RecordedEvent => ({
  ...e,
  stream: "tweet-1600000000000000001",
  revision: 0,
  position: 9_007_199_254_740_993n,
  recordedAt: new Date("2026-01-01T00:00:00Z"),
  ...over
})

describe("event ids", () => {
  it("deterministic ids are RFC 4122 v5 UUIDs of the natural key in the project namespace", () => {
    expect(eventIdFor("tweet-observed:1")).toBe(referenceV5("tweet-observed:1", EVENT_ID_NAMESPACE))
    expect(eventIdFor("tweet-observed:1")).not.toBe(eventIdFor("tweet-observed:2"))
    expect(eventIdFor("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})

describe("TweetObserved", () => {
  it("encodes to its stream with id uuidv5(tweet-observed:<id>) and full metadata", () => {
    const { stream, event } = TweetObserved.toAppend(tweet, ctx)
    expect(stream).toBe("tweet-1600000000000000001")
    expect(event.id).toBe(referenceV5("tweet-observed:1600000000000000001", EVENT_ID_NAMESPACE))
    expect(event.type).toBe("TweetObserved")
    expect(event.data).toEqual(tweet)
    expect(event.metadata).toEqual({ schemaVersion: 1, correlationId: "run-1", codeVersion: "musktracker@0.1.0+abc" })
    // No undefined keys: the metadata survives a JSON round trip unchanged.
    const bare = TweetObserved.encode(tweet, { codeVersion: "v" })
    expect(Object.keys(bare.metadata).sort()).toEqual(["codeVersion", "schemaVersion"])
    expect(JSON.parse(JSON.stringify(event))).toEqual(event)
  })

  it("the same tweet from the API and from an import has the same id", () => {
    const a = TweetObserved.encode(tweet, ctx)
    const b = TweetObserved.encode({ ...tweet, source: "import", observedAt: "2026-01-01T00:00:00Z" }, { codeVersion: "other" })
    expect(a.id).toBe(b.id)
  })

  it("refuses to encode an invalid payload", () => {
    expect(() => TweetObserved.encode({ ...tweet, createdAt: "2022-12-06 07:00" }, ctx)).toThrow(EventEncodeError)
    expect(() => TweetObserved.encode({ ...tweet, tweetId: "12a" }, ctx)).toThrow(/numeric X id/)
    expect(() => TweetObserved.encode({ ...tweet, kind: "thread" as never }, ctx)).toThrow(EventEncodeError)
  })

  it("decodes what it encoded", () => {
    const r = recorded(TweetObserved.encode(tweet, ctx))
    const d = Either.getOrThrow(decodeCatalogEvent(r))
    expect(d.type).toBe("TweetObserved")
    expect(d.data).toEqual(tweet)
    expect(d.position).toBe(r.position)
    expect(d.stream).toBe(r.stream)
    expect(TweetObserved.is(d)).toBe(true)
  })

  it("a payload that does not decode fails naming stream, revision, global position and the field", () => {
    const bad = recorded(TweetObserved.encode(tweet, ctx), { revision: 3 })
    const { kind: _kind, ...withoutKind } = tweet
    const err = Either.getLeft(decodeCatalogEvent({ ...bad, data: withoutKind })).pipe((o) => (o._tag === "Some" ? o.value : undefined))
    expect(err).toBeInstanceOf(EventDecodeError)
    expect(err!.stream).toBe("tweet-1600000000000000001")
    expect(err!.revision).toBe(3)
    expect(err!.position).toBe(9_007_199_254_740_993n)
    expect(err!.message).toContain("tweet-1600000000000000001@3 (global position 9007199254740993)")
    expect(err!.reason).toMatch(/^kind: /)
  })

  it("unknown types, newer schema versions and missing metadata are decode errors", () => {
    const base = recorded(TweetObserved.encode(tweet, ctx))
    const unknown = decodeCatalogEvent({ ...base, type: "SomethingElse" })
    expect(Either.isLeft(unknown) && unknown.left.reason).toMatch(/unknown event type/)
    const newer = decodeCatalogEvent({ ...base, metadata: { ...base.metadata, schemaVersion: 2 } })
    expect(Either.isLeft(newer) && newer.left.reason).toMatch(/newer than this code's 1/)
    const none = decodeCatalogEvent({ ...base, metadata: { codeVersion: "x" } as never })
    expect(Either.isLeft(none) && none.left.reason).toMatch(/schemaVersion/)
  })
})

describe("defineEvent", () => {
  const V2 = defineEvent(
    "Renamed",
    2,
    Schema.Struct({ fullName: Schema.String, n: Schema.Number }),
    { upcast: (data, from) => (from === 1 ? { fullName: (data as { name: string }).name, n: 0 } : data) }
  )
  const NoKey = defineEvent("NoKey", 1, Schema.Struct({ x: Schema.Number }))

  it("upcasts payloads written under an older schema version", () => {
    const old: RecordedEvent = {
      id: "00000000-0000-4000-8000-000000000000",
      type: "Renamed",
      data: { name: "Ada" },
      metadata: { schemaVersion: 1, codeVersion: "old" },
      stream: "renamed-1",
      revision: 0,
      position: 1n,
      recordedAt: new Date()
    }
    expect(Either.getOrThrow(V2.decode(old)).data).toEqual({ fullName: "Ada", n: 0 })
    const noUpcaster = NoKey.decode({ ...old, type: "NoKey", metadata: { schemaVersion: 0, codeVersion: "x" } })
    expect(Either.isLeft(noUpcaster) && noUpcaster.left.reason).toMatch(/no upcaster/)
  })

  it("without a natural key the caller must give an id or a key (the domain draws no random id)", () => {
    expect(() => NoKey.encode({ x: 1 }, ctx)).toThrow(EventEncodeError)
    expect(() => NoKey.encode({ x: 1 }, ctx)).toThrow(/no event id/)
    expect(NoKey.encode({ x: 1 }, ctx, { naturalKey: "k" }).id).toBe(referenceV5("k", EVENT_ID_NAMESPACE))
    expect(NoKey.encode({ x: 1 }, ctx, { id: "fixed" }).id).toBe("fixed")
    expect(() => NoKey.toAppend({ x: 1 }, ctx)).toThrow(/no stream function/)
  })

  it("a decoder refuses two definitions of one type", () => {
    expect(() => makeDecoder([NoKey, NoKey])).toThrow(/defined twice/)
  })

  it("decoding a stream stops at the first bad event, after delivering the good ones", async () => {
    const good = (i: number) => recorded(TweetObserved.encode({ ...tweet, tweetId: String(i) }, ctx), { position: BigInt(i) })
    const bad = { ...good(2), data: { ...tweet, createdAt: "yesterday" } }
    const out = await Effect.runPromise(
      Stream.fromIterable([good(1), bad, good(3)]).pipe(decodeCatalogStream, Stream.either, Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
    )
    expect(out.length).toBe(2)
    const first = out[0]!
    expect(Either.isRight(first) && TweetObserved.is(first.right) && first.right.data.tweetId).toBe("1")
    expect(Either.isLeft(out[1]!) && out[1]!.left.position).toBe(2n)
    const viaEffect = await Effect.runPromise(Effect.either(decodeEvent(bad)))
    expect(Either.isLeft(viaEffect) && viaEffect.left._tag).toBe("EventDecodeError")
  })
})
