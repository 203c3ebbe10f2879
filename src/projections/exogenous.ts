/**
 * Exogenous projection: curated events into `exogenous_events` (latest state, retracted ones flagged)
 * and `exogenous_event_log` (every curation, revision and retraction with its `known_at`, the input of
 * the as-of view). Tables: migration 0010.
 */
import type { CatalogEvent } from "../domain/events/catalog"
import { ExogenousEventTypes, type ExogenousDomainEvent } from "../domain/events/exogenous"
import type { Projection } from "./projection"
import { noWrites, Write, type Row } from "./write"

export const EXOGENOUS_TABLES = { events: "exogenous_events", log: "exogenous_event_log" } as const

const logRow = (event: ExogenousDomainEvent, position: bigint, revision: number): Write =>
  Write.upsert(EXOGENOUS_TABLES.log, {
    position,
    event_id: event.data.eventId,
    stream_revision: revision,
    type: event.type,
    known_at: event.data.knownAt,
    data: JSON.stringify(event.data)
  })

/** The writes of one exogenous event (pure; exported for tests). */
export const exogenousWrites = (event: ExogenousDomainEvent, position: bigint, revision: number): ReadonlyArray<Write> => {
  const t = EXOGENOUS_TABLES.events
  switch (event.type) {
    case ExogenousEventTypes.curated: {
      const d = event.data
      return [
        Write.upsert(t, {
          event_id: d.eventId,
          name: d.name,
          start_at: d.start,
          end_at: d.end,
          intensity: d.intensity,
          known_at: d.knownAt,
          kind: d.kind,
          tags: JSON.stringify(d.tags),
          account: d.account ?? null,
          revisions: 0,
          retracted: false,
          retraction_reason: null,
          retracted_known_at: null,
          curated_position: position,
          last_position: position
        }),
        logRow(event, position, revision)
      ]
    }
    case ExogenousEventTypes.revised: {
      const { eventId, changes: c } = event.data
      const row: Record<string, Row[string]> = { event_id: eventId, last_position: position }
      if (c.name !== undefined) row.name = c.name
      if (c.start !== undefined) row.start_at = c.start
      if (c.end !== undefined) row.end_at = c.end
      if (c.intensity !== undefined) row.intensity = c.intensity
      if (c.knownAt !== undefined) row.known_at = c.knownAt
      return [Write.merge(t, row), Write.increment(t, { event_id: eventId }, { revisions: 1 }), logRow(event, position, revision)]
    }
    case ExogenousEventTypes.retracted: {
      const d = event.data
      return [
        Write.merge(t, {
          event_id: d.eventId,
          retracted: true,
          retraction_reason: d.reason,
          retracted_known_at: d.knownAt,
          last_position: position
        }),
        logRow(event, position, revision)
      ]
    }
  }
}

const isExogenous = (event: CatalogEvent): event is Extract<CatalogEvent, ExogenousDomainEvent> =>
  event.type === ExogenousEventTypes.curated || event.type === ExogenousEventTypes.revised || event.type === ExogenousEventTypes.retracted

export const exogenousProjection: Projection = {
  name: "exogenous",
  tables: [EXOGENOUS_TABLES.events, EXOGENOUS_TABLES.log],
  eventTypes: [ExogenousEventTypes.curated, ExogenousEventTypes.revised, ExogenousEventTypes.retracted],
  handle: (event, position) => (isExogenous(event) ? exogenousWrites(event, position, event.revision) : noWrites)
}
