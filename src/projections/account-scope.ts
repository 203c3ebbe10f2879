/**
 * One account's rows of a read-model table, for `projections verify --account` and `rebuild --account`.
 * Tables with an `account` column hold each row for one account; child tables (a backtest's windows and
 * summaries, a forecast's hours, brackets and score) belong to their parent row's account. Anything
 * else (curated exogenous events) is shared by every account: it has no rows of one account alone.
 */
import type { TableShape } from "./buffer"
import { qualify, quoteIdent } from "./sql-writer"

/** Child table -> [parent table, the key they share]. */
const PARENTS: Readonly<Record<string, readonly [string, string]>> = {
  backtest_windows: ["backtests", "backtest_id"],
  backtest_summaries: ["backtests", "backtest_id"],
  forecast_hours: ["forecasts", "forecast_id"],
  forecast_brackets: ["forecasts", "forecast_id"],
  forecast_scores: ["forecasts", "forecast_id"]
}

/** A SQL string literal (accounts are validated handles; quoting keeps this safe for any text). */
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`

/**
 * The condition (on the table's rows, aliased `alias`) that selects the account's rows when the table
 * lives in `schema` (undefined: the live schema), or undefined when the table holds no account's rows.
 */
export const accountCondition = (shape: TableShape, schema: string | undefined, account: string, alias: string): string | undefined => {
  if (shape.columns.includes("account")) return `${alias}.account = ${literal(account)}`
  const parent = PARENTS[shape.name]
  if (parent === undefined) return undefined
  const [table, key] = parent
  return `${alias}.${quoteIdent(key)} in (select p.${quoteIdent(key)} from ${qualify(schema, table)} p where p.account = ${literal(account)})`
}

/** Whether any of the tables holds rows of one account. */
export const holdsAccountRows = (shapes: ReadonlyArray<TableShape>): boolean =>
  shapes.some((s) => s.columns.includes("account") || PARENTS[s.name] !== undefined)
