/**
 * Accounts: the X handle that keys every read model derived from tweets (counts, knowledge, regimes,
 * backtests, fitted models, forecasts, ingestion runs). Handles are case-insensitive on X, so the
 * normalised spelling (lower case, no @) is the key and the stream suffix.
 */

/** The account a command uses when neither its flag nor MUSKTRACKER_ACCOUNT names one. */
export const DEFAULT_ACCOUNT = "elonmusk"

/**
 * The account of events recorded before events named their account (BacktestStarted, ModelFitted and
 * ForecastIssued of releases before migration 0044): the project then tracked one account, @elonmusk.
 * Projections read a missing `account` as this one, so a rebuild gives what the migration filled in.
 */
export const LEGACY_ACCOUNT = "elonmusk"

/** X usernames are case-insensitive: `@ElonMusk` and `elonmusk` are one account (and one stream). */
export const normalizeAccount = (account: string): string => account.trim().replace(/^@/, "").toLowerCase()

/** What X allows in a username: 1 to 15 letters, digits or underscores. */
const HANDLE = /^[a-z0-9_]{1,15}$/

/** The normalised handle, or why the text is not one (worded for any source: flag, variable, file). */
export const parseAccount = (raw: string): { readonly account: string } | { readonly problem: string } => {
  const account = normalizeAccount(raw)
  return HANDLE.test(account)
    ? { account }
    : { problem: `"${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}" is not an X handle (1–15 letters, digits or underscores, with or without @)` }
}

/** A comma-separated list of handles (`a,b,@c`), normalised and without repeats, or the first problem. */
export const parseAccountList = (raw: string): { readonly accounts: ReadonlyArray<string> } | { readonly problem: string } => {
  const parts = raw.split(",").map((s) => s.trim())
  if (parts.length === 0 || parts.every((p) => p === "")) return { problem: "names no account" }
  const accounts: string[] = []
  for (const part of parts) {
    if (part === "") return { problem: `"${raw}" has an empty name (a comma too many)` }
    const r = parseAccount(part)
    if ("problem" in r) return r
    if (!accounts.includes(r.account)) accounts.push(r.account)
  }
  return { accounts }
}
