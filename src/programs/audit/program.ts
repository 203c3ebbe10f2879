/**
 * `musktracker audit verify` and `audit head`: the event log against its hash chain
 * (src/domain/events/chain.ts). verify walks the whole log in global order and names the first
 * position whose payload, order or predecessor does not match (exit 1); head prints the position and
 * hash of the last event, to be recorded elsewhere and compared later.
 */
import { Console, Data, Effect, Stream } from "effect"
import { nodeSha256 } from "../../adapters/sha256"
import { makeChainVerifier, type ChainReport } from "../../domain/events/chain"
import { EventStore } from "../../domain/ports/event-store"
import { renderJson, type OutputFormat } from "../cli/format"
import { StoreLayer } from "../layers"

export class ChainBroken extends Data.TaggedError("ChainBroken")<{ readonly position: bigint; readonly reason: string }> {
  override get message(): string {
    return `the event log does not match its hash chain at position ${this.position}: ${this.reason}`
  }
}

/** Walks the log once and reports where its chain first breaks, if anywhere. */
export const verifyLog = Effect.gen(function* () {
  const store = yield* EventStore
  const verifier = makeChainVerifier(nodeSha256, { contiguous: store.keepsHashChain })
  // Read ahead while hashing: the next page is fetched (by the database) as this one is checked.
  // Whole chunks per step: one effect per page rather than per event.
  yield* Stream.runForEachChunk(store.readAll({ batchSize: 5000 }).pipe(Stream.rechunk(5000), Stream.bufferChunks({ capacity: 4 })), (chunk) =>
    Effect.sync(() => {
      for (const e of chunk) verifier.push(e)
    })
  )
  return { store: store.describe, recorded: store.keepsHashChain, ...verifier.report() }
})

const headJson = (r: ChainReport) => (r.head === undefined ? null : { position: r.head.position.toString(), hash: r.head.hash })

export const runAuditVerify = ({ format }: { readonly format: OutputFormat }) =>
  Effect.gen(function* () {
    const started = Date.now()
    const r = yield* verifyLog
    const seconds = (Date.now() - started) / 1000
    if (format === "json")
      yield* Console.log(
        renderJson({
          store: r.store,
          events: r.events,
          head: headJson(r),
          ok: r.firstBreak === undefined,
          firstBreak: r.firstBreak === undefined ? null : { position: r.firstBreak.position.toString(), reason: r.firstBreak.reason }
        })
      )
    else if (r.firstBreak === undefined)
      yield* Console.log(
        `audit verify: OK, ${r.events} events ${r.recorded ? "match their recorded hash chain" : "hashed (this store records no links: compare the head with one recorded earlier)"}` +
          ` (${seconds.toFixed(1)} s)\nhead: position ${r.head?.position ?? "-"} hash ${r.head?.hash ?? "-"}`
      )
    if (r.firstBreak !== undefined) return yield* new ChainBroken(r.firstBreak)
  }).pipe(Effect.provide(StoreLayer))

export const runAuditHead = ({ format }: { readonly format: OutputFormat }) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    // The recorded link of the last event is the head; a store without links recomputes it.
    let head: ChainReport["head"]
    if (store.keepsHashChain) {
      const last = yield* store.lastPosition
      if (last !== undefined) {
        const events = yield* Stream.runCollect(store.readAll({ after: last - 1n, maxCount: 1 }))
        for (const e of events) head = { position: e.position, hash: e.hash ?? "" }
      }
    } else head = (yield* verifyLog).head
    if (format === "json") yield* Console.log(renderJson(head === undefined ? null : { position: head.position.toString(), hash: head.hash }))
    else yield* Console.log(head === undefined ? "the log is empty" : `position ${head.position} hash ${head.hash}`)
  }).pipe(Effect.provide(StoreLayer))
