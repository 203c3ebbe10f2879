import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ExogenousDomainEvent } from "../../../src/domain/events/exogenous"
import { decide, type ExogenousCommand } from "../../../src/domain/exogenous/decider"
import { asOf, featuresAsOf, makeKnowledge, modelInputsAsOf } from "../../../src/domain/features/asof"
import { featureColumn } from "../../../src/domain/features/matrix"
import { defaultFeatureSpec, makeFeatureSpec } from "../../../src/domain/features/spec"

const H = 3_600_000
const iso = (s: string) => Date.parse(s)

/** Runs commands through the decider, each at its own `now`, and returns the log. */
const record = (steps: ReadonlyArray<{ now: string; command: ExogenousCommand }>): ExogenousDomainEvent[] => {
  const log: ExogenousDomainEvent[] = []
  for (const { now, command } of steps) {
    const id = command._tag === "AddEvent" ? undefined : command.eventId
    const history = id === undefined ? [] : log.filter((e) => e.data.eventId === id)
    const r = decide(command, history, iso(now))
    if (Either.isLeft(r)) throw new Error(r.left.message)
    log.push(...r.right)
  }
  return log
}

// A steady synthetic record: one tweet at minute 10 of every hour for 60 days from 2025-01-01.
const START = iso("2025-01-01T00:00:00Z")
const tweets = Array.from({ length: 60 * 24 }, (_, i) => START + i * H + 10 * 60_000)
const exoSpec = Either.getOrThrow(makeFeatureSpec(["exo_intensity", "lag_1"]))

describe("no look-ahead", () => {
  it("an event added today with past dates changes features as of today, not as of an earlier cutoff", () => {
    const log = record([
      {
        now: "2025-03-01T12:00:00Z", // "today": unscheduled, so known now by default
        command: { _tag: "AddEvent", name: "Past news", start: "2025-01-20T05:00:00Z", end: "2025-01-20T07:30:00Z", intensity: 0.6 }
      }
    ])
    const k = makeKnowledge({ tweetTimes: tweets, exogenous: log })
    const from = iso("2025-01-20T00:00:00Z")
    const to = iso("2025-01-21T00:00:00Z")
    const today = featureColumn(featuresAsOf(k, iso("2025-03-01T13:00:00Z"), exoSpec, from, to), "exo_intensity")
    expect([...today.subarray(4, 9)]).toEqual([0, 0.6, 0.6, 0.6, 0])
    const earlier = featureColumn(featuresAsOf(k, iso("2025-02-15T00:00:00Z"), exoSpec, from, to), "exo_intensity")
    expect([...earlier].every((v) => v === 0)).toBe(true)
    // The boundary: known at 12:00 means visible for cutoffs strictly after it.
    expect(asOf(k, iso("2025-03-01T12:00:00Z")).exogenous).toHaveLength(0)
    expect(asOf(k, iso("2025-03-01T12:00:00.001Z")).exogenous).toHaveLength(1)
  })

  it("a revision or retraction known only later does not leak backwards", () => {
    const log = record([
      {
        now: "2025-01-02T00:00:00Z",
        command: {
          _tag: "AddEvent",
          name: "Earnings",
          start: "2025-01-29T21:00:00Z",
          end: "2025-01-29T22:59:59Z",
          intensity: 0.8,
          kind: "scheduled",
          knownAt: "2025-01-02T00:00:00Z"
        }
      }
    ])
    const eventId = log[0]!.data.eventId
    // Revised on 2025-01-20 (known then): an hour earlier and weaker.
    log.push(
      ...Either.getOrThrow(
        decide({ _tag: "Revise", eventId, changes: { intensity: 0.3, start: "2025-01-29T20:00:00Z" } }, log, iso("2025-01-20T00:00:00Z"))
      )
    )
    const k = makeKnowledge({ tweetTimes: tweets, exogenous: log })
    const day = (cutoff: string) => featureColumn(featuresAsOf(k, iso(cutoff), exoSpec, iso("2025-01-29T00:00:00Z"), iso("2025-01-30T00:00:00Z")), "exo_intensity")
    // Before the revision was public: the original hours and intensity, for a forecast made on 2025-01-15.
    expect([...day("2025-01-15T00:00:00Z").subarray(20, 23)]).toEqual([0, 0.8, 0.8])
    // After it: the revised ones.
    expect([...day("2025-01-25T00:00:00Z").subarray(20, 23)]).toEqual([0.3, 0.3, 0.3])
    // A retraction public on 2025-01-27 removes the event from then on only.
    log.push(...Either.getOrThrow(decide({ _tag: "Retract", eventId, reason: "postponed" }, log, iso("2025-01-27T00:00:00Z"))))
    const k2 = makeKnowledge({ tweetTimes: tweets, exogenous: log })
    const day2 = (cutoff: string) => featureColumn(featuresAsOf(k2, iso(cutoff), exoSpec, iso("2025-01-29T00:00:00Z"), iso("2025-01-30T00:00:00Z")), "exo_intensity")
    expect([...day2("2025-01-25T00:00:00Z").subarray(20, 23)]).toEqual([0.3, 0.3, 0.3])
    expect([...day2("2025-01-28T00:00:00Z")].every((v) => v === 0)).toBe(true)
  })

  it("a scheduled event known in advance shows in the forecast horizon of the model inputs", () => {
    const log = record([
      {
        now: "2025-01-10T00:00:00Z",
        command: {
          _tag: "AddEvent",
          name: "Launch",
          start: "2025-01-31T02:00:00Z",
          end: "2025-01-31T03:00:00Z",
          intensity: 0.5,
          kind: "scheduled",
          knownAt: "2025-01-05T00:00:00Z"
        }
      }
    ])
    const k = makeKnowledge({ tweetTimes: tweets, exogenous: log })
    const origin = iso("2025-01-30T00:00:00Z")
    const inputs = modelInputsAsOf(k, origin, { windowHours: 48, horizonHours: 48 })
    expect(inputs.hourly.start).toBe(origin - 48 * H)
    expect(inputs.hourly.counts.length).toBe(48)
    expect([...inputs.hourly.counts].every((c) => c === 1)).toBe(true)
    expect(inputs.eventTimes.length).toBe(48)
    expect(inputs.eventTimes[47]).toBe(origin - H + 10 * 60_000)
    expect(inputs.exogenous!.length).toBe(96)
    expect([...inputs.exogenous!.subarray(48 + 24, 48 + 28)]).toEqual([0, 0, 0.5, 0])
    // Before the announcement the same horizon is empty.
    const before = modelInputsAsOf(k, iso("2025-01-04T00:00:00Z"), { windowHours: 48, horizonHours: 24 * 30 })
    expect([...before.exogenous!].every((v) => v === 0)).toBe(true)
    expect(() => modelInputsAsOf(k, origin + 1, { windowHours: 48 })).toThrow(/UTC hour/)
    expect(() => modelInputsAsOf(k, iso("2025-01-02T00:00:00Z"), { windowHours: 48 })).toThrow(/before the tweet record/)
  })

  it("facts recorded or public after the cutoff never change what is seen at it (property)", () => {
    const day0 = iso("2025-01-01T00:00:00Z")
    const arbTweet = fc.integer({ min: 0, max: 20 * 24 * 60 }).map((m) => day0 + m * 60_000)
    const arbEvent = fc.record({
      startH: fc.integer({ min: 0, max: 20 * 24 }),
      lenH: fc.integer({ min: 0, max: 30 }),
      intensity: fc.double({ min: 0, max: 1, noNaN: true }),
      knownH: fc.integer({ min: 0, max: 20 * 24 }),
      revise: fc.option(fc.record({ afterH: fc.integer({ min: 0, max: 100 }), intensity: fc.double({ min: 0, max: 1, noNaN: true }) })),
      retractAfterH: fc.option(fc.integer({ min: 0, max: 200 }))
    })
    fc.assert(
      fc.property(fc.array(arbTweet, { maxLength: 300 }), fc.array(arbEvent, { maxLength: 6 }), fc.integer({ min: 1, max: 20 * 24 }), (ts, evs, cutH) => {
        const log: ExogenousDomainEvent[] = []
        evs.forEach((e, i) => {
          const known = day0 + e.knownH * H
          const add = decide(
            {
              _tag: "AddEvent",
              name: `event ${i}`,
              start: new Date(day0 + e.startH * H).toISOString(),
              end: new Date(day0 + (e.startH + e.lenH) * H).toISOString(),
              intensity: e.intensity,
              kind: "scheduled",
              knownAt: new Date(known).toISOString()
            },
            [],
            known
          )
          const mine = [...Either.getOrThrow(add)]
          if (e.revise) {
            const t = known + e.revise.afterH * H
            const r = decide({ _tag: "Revise", eventId: mine[0]!.data.eventId, changes: { intensity: e.revise.intensity } }, mine, t)
            if (Either.isRight(r)) mine.push(...r.right)
          }
          if (e.retractAfterH !== null) {
            const t = known + e.retractAfterH * H
            mine.push(...Either.getOrThrow(decide({ _tag: "Retract", eventId: mine[0]!.data.eventId, reason: "r" }, mine, t)))
          }
          log.push(...mine)
        })
        const cutoff = day0 + cutH * H
        const full = makeKnowledge({ tweetTimes: ts, exogenous: log, observedFrom: day0 })
        // Only what existed before the cutoff: earlier tweets, and events public before it.
        const past = makeKnowledge({
          tweetTimes: ts.filter((t) => t < cutoff),
          exogenous: log.filter((e) => Date.parse(e.data.knownAt) < cutoff),
          observedFrom: day0
        })
        const spec = defaultFeatureSpec()
        const a = featuresAsOf(full, cutoff, spec, day0, cutoff + 48 * H)
        const b = featuresAsOf(past, cutoff, spec, day0, cutoff + 48 * H)
        expect(a.values).toEqual(b.values)
        const ia = modelInputsAsOf(full, cutoff, { windowHours: cutH, horizonHours: 48 })
        const ib = modelInputsAsOf(past, cutoff, { windowHours: cutH, horizonHours: 48 })
        expect(ia).toEqual(ib)
      }),
      { numRuns: 60 }
    )
  })
})

describe("asOf", () => {
  it("keeps tweets created strictly before the cutoff and only complete hours in the counts", () => {
    const k = makeKnowledge({ tweetTimes: [iso("2025-01-01T01:59:59.999Z"), iso("2025-01-01T00:30:00Z"), iso("2025-01-01T02:00:00Z"), iso("2025-01-01T02:10:00Z")] })
    const v = asOf(k, iso("2025-01-01T02:00:00Z"))
    expect([...v.tweetTimes]).toEqual([iso("2025-01-01T00:30:00Z"), iso("2025-01-01T01:59:59.999Z")])
    // Mid-hour cutoff: the 02:00 hour is incomplete and is left out of the counts, but its tweet is known.
    const spec = Either.getOrThrow(makeFeatureSpec(["lag_1", "lag_2"]))
    const m = featuresAsOf(k, iso("2025-01-01T02:30:00Z"), spec, iso("2025-01-01T02:00:00Z"), iso("2025-01-01T04:00:00Z"))
    expect(featureColumn(m, "lag_1")[0]).toBe(1) // hour 01
    expect(featureColumn(m, "lag_1")[1]).toBeNaN() // hour 02 not complete at 02:30
    expect(featureColumn(m, "lag_2")[1]).toBe(1)
    expect(asOf(k, iso("2025-01-01T02:30:00Z")).tweetTimes.length).toBe(4)
  })

  it("treats hours after the end of observation as unknown, not as zeros", () => {
    const until = iso("2025-01-10T05:00:00Z")
    const k = makeKnowledge({ tweetTimes: tweets.filter((t) => t < until), observedUntil: until })
    const spec = Either.getOrThrow(makeFeatureSpec(["lag_1", "roll_mean_24"]))
    const m = featuresAsOf(k, iso("2025-01-20T00:00:00Z"), spec, iso("2025-01-10T04:00:00Z"), iso("2025-01-10T07:00:00Z"))
    expect(featureColumn(m, "lag_1")[1]).toBe(1) // hour 05 uses hour 04, observed
    expect(featureColumn(m, "lag_1")[2]).toBeNaN() // hour 06 would use hour 05, after observation ended
    expect(featureColumn(m, "roll_mean_24")[1]).toBe(1)
    expect(featureColumn(m, "roll_mean_24")[2]).toBeNaN()
    expect(() => modelInputsAsOf(k, iso("2025-01-10T06:00:00Z"), { windowHours: 24 })).toThrow(/complete only until/)
    expect(modelInputsAsOf(k, until, { windowHours: 24 }).hourly.counts.every((c) => c === 1)).toBe(true)
  })

  it("drops regime shifts detected after the cutoff", () => {
    const k = makeKnowledge({
      tweetTimes: tweets,
      regimes: [
        { at: iso("2025-01-10T00:00:00Z"), regimeId: "a", knownAt: iso("2025-01-15T00:00:00Z") },
        { at: iso("2025-01-20T00:00:00Z"), regimeId: "b" }
      ]
    })
    expect(asOf(k, iso("2025-01-12T00:00:00Z")).regimes).toHaveLength(0)
    expect(asOf(k, iso("2025-01-16T00:00:00Z")).regimes.map((r) => r.regimeId)).toEqual(["a"])
    expect(asOf(k, iso("2025-01-21T00:00:00Z")).regimes.map((r) => r.regimeId)).toEqual(["a", "b"])
  })
})
