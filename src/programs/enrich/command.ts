/** `musktracker enrich add-event|revise|retract|list|import` (program: ./program.ts). */
import { Args, Command, Options } from "@effect/cli"
import { choiceOption } from "../cli/choice"
import { accountFilterOption } from "../cli/account"
import { lazy } from "../cli/lazy"

const load = () => import("./program")

const addEventCommand = Command.make(
  "add-event",
  {
    name: Options.text("name").pipe(Options.withDescription("what happens, e.g. \"Tesla Q4 Earnings\"")),
    start: Options.text("start").pipe(Options.withDescription("start instant, ISO 8601 with an offset (stored in UTC)")),
    end: Options.text("end").pipe(Options.withDescription("end instant (inclusive), >= start")),
    intensity: Options.text("intensity").pipe(Options.withDescription("expected strength in [0, 1]")),
    knownAt: Options.text("known-at").pipe(
      Options.optional,
      Options.withDescription("when the information became public (default: now); may precede --start only for scheduled events")
    ),
    kind: Options.text("kind").pipe(Options.optional, Options.withDescription("scheduled | unscheduled (default unscheduled)")),
    tag: Options.text("tag").pipe(Options.repeated, Options.withDescription("a tag (repeatable)")),
    account: Options.text("account").pipe(Options.optional, Options.withDescription("the one account it bears on (default: every account, a global event)"))
  },
  (a) => lazy(load, (m) => m.runAddEvent(a))
).pipe(Command.withDescription("Record a curated exogenous event."))

const reviseCommand = Command.make(
  "revise",
  {
    id: Args.text({ name: "ID" }).pipe(Args.withDescription("the event's id (see enrich list)")),
    name: Options.text("name").pipe(Options.optional),
    start: Options.text("start").pipe(Options.optional),
    end: Options.text("end").pipe(Options.optional),
    intensity: Options.text("intensity").pipe(Options.optional),
    knownAt: Options.text("known-at").pipe(Options.optional, Options.withDescription("corrects when the event itself became public")),
    revisionKnownAt: Options.text("revision-known-at").pipe(
      Options.optional,
      Options.withDescription("when this revision became public (default: now; for a --known-at correction, the earlier of old and new)")
    )
  },
  (a) => lazy(load, (m) => m.runReviseEvent(a))
).pipe(Command.withDescription("Change fields of a curated event; earlier cutoffs keep seeing the old values."))

const retractCommand = Command.make(
  "retract",
  {
    id: Args.text({ name: "ID" }),
    reason: Options.text("reason").pipe(Options.withDescription("why (e.g. cancelled, entered by mistake)")),
    knownAt: Options.text("known-at").pipe(Options.optional, Options.withDescription("when the retraction became public (default: now)"))
  },
  (a) => lazy(load, (m) => m.runRetractEvent(a))
).pipe(Command.withDescription("Withdraw a curated event from every cutoff after the retraction became public."))

const listCommand = Command.make(
  "list",
  {
    at: Options.text("at").pipe(Options.optional, Options.withDescription("show the events as known at this instant (default: now)")),
    all: Options.boolean("all").pipe(Options.withDescription("include retracted events (latest knowledge only)")),
    account: accountFilterOption("only the global events and this account's", "every event"),
    format: choiceOption("format", ["table", "json"]).pipe(Options.withDefault("table" as const))
  },
  (a) => lazy(load, (m) => m.runListEvents(a))
).pipe(Command.withDescription("List curated events, as known now or at --at."))

const importCommand = Command.make(
  "import",
  { file: Args.file({ name: "FILE", exists: "yes" }).pipe(Args.withDescription("CSV (header name,start,end,intensity[,known_at,kind,tags,id]) or JSON")) },
  ({ file }) => lazy(load, (m) => m.runImportEvents(file))
).pipe(Command.withDescription("Import curated events from a CSV or JSON file (all or nothing; re-import is a no-op)."))

export const enrichCommand = Command.make("enrich").pipe(
  Command.withDescription("Curate exogenous events: add-event, revise, retract, list, import."),
  Command.withSubcommands([addEventCommand, reviseCommand, retractCommand, listCommand, importCommand])
)
