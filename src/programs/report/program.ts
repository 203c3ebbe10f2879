/**
 * `musktracker report [--out report.html]`: one self-contained HTML file (inline SVG charts drawn by
 * Vega-Lite in Node, inline CSS, no script) with daily counts and regime shifts, the latest forecast,
 * backtest metrics and calibration, and fitted parameters. Reads the read models after catching up.
 */
import { Console, Data, Effect, Option } from "effect"
import { resolveAccount } from "../cli/account"
import { parseBacktestId } from "../cli/backtest-id"
import { mkdir, writeFile } from "node:fs/promises"
import { dirname, resolve } from "node:path"
import { catchUpProjections } from "../catch-up"
import { requireKnownAccount } from "../accounts/known"
import { StoreLayer } from "../layers"
import { loadReportData } from "./data"
import { buildReport } from "./page"

export class ReportWriteError extends Data.TaggedError("ReportWriteError")<{ readonly path: string; readonly reason: string }> {
  override get message(): string {
    return `cannot write the report to ${this.path}: ${this.reason}`
  }
}

/** Catches up, loads, renders and writes the report; returns what was written. */
export const writeReport = (account: string, out: string, now: number = Date.now(), backtestId?: string) =>
  Effect.gen(function* () {
    yield* catchUpProjections
    // An empty store gets its empty report (what a new user's first `report` shows); an account the
    // store does not know while it knows others is most likely mistyped, and refused like in counts.
    yield* requireKnownAccount(account).pipe(Effect.catchTag("UnknownAccount", (e) => (e.known.length === 0 ? Effect.void : Effect.fail(e))))
    const data = yield* loadReportData(account, now, backtestId)
    const report = yield* buildReport(data)
    const path = resolve(out)
    yield* Effect.tryPromise({
      try: async () => {
        await mkdir(dirname(path), { recursive: true })
        await writeFile(path, report.html, "utf8")
      },
      catch: (cause) => new ReportWriteError({ path, reason: cause instanceof Error ? cause.message : String(cause) })
    })
    return { path, bytes: Buffer.byteLength(report.html), ...report }
  })

export const runReport = ({ account: flag, out, backtest }: { readonly account: Option.Option<string>; readonly out: string; readonly backtest: Option.Option<string> }) =>
  Effect.gen(function* () {
    const account = yield* resolveAccount(flag)
    const id = Option.isSome(backtest) ? yield* parseBacktestId(backtest.value, "--backtest") : undefined
    const r = yield* writeReport(account, out, Date.now(), id)
    yield* Console.log(
      `wrote ${r.path} (${(r.bytes / 1024).toFixed(0)} KiB): ${r.charts.length} charts (${r.charts.join(", ") || "none"})` +
        (r.emptySections.length > 0 ? `; nothing yet for: ${r.emptySections.join(", ")}` : "")
    )
  }).pipe(Effect.provide(StoreLayer))
