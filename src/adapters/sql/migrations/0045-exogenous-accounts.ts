/**
 * Curated exogenous events may bear on one account (ExogenousEventCurated.account) or on all:
 * `exogenous_events.account`, null for a global event. Every event recorded so far is global, which is
 * what null says, so no row needs filling.
 */
import { execAll, type Migration } from "./migration"

const migration: Migration = {
  version: 45,
  name: "exogenous_accounts",
  up: (db) => execAll(db, [`alter table exogenous_events add column account text`]),
  down: (db) => execAll(db, [`alter table exogenous_events drop column account`])
}

export default migration
