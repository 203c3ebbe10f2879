/** Output helpers shared by commands: aligned text tables, CSV and JSON (bigints as strings). */
import { Options } from "@effect/cli"
import { choiceOption } from "./choice"

export type OutputFormat = "table" | "csv" | "json"

export const formatOption = (formats: ReadonlyArray<OutputFormat> = ["table", "csv", "json"]) =>
  choiceOption("format", formats).pipe(
    Options.withDefault(formats[0]!),
    Options.withDescription(`output format: ${formats.join(", ")} (default ${formats[0]})`)
  )

/** The printed width of a cell: escape sequences (colour, bold) take no column. */
// eslint-disable-next-line no-control-regex
export const stripEscapes = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, "")
export const visibleLength = (s: string): number => stripEscapes(s).length

/** Colour and bold only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export const useColour = (stream: { readonly isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean =>
  stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "")

const pad = (s: string, width: number, start: boolean): string => {
  const fill = " ".repeat(Math.max(0, width - visibleLength(s)))
  return start ? fill + s : s + fill
}

/**
 * The width of each column: the widest of its header and cells, measured by `length`. A loop, not
 * `Math.max(...cells)`: a million rows (`counts --from 1900-01-01`) would overflow the call stack.
 */
export const columnWidths = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, length: (s: string) => number = (s) => s.length): number[] => {
  const widths = header.map(length)
  for (const r of rows) for (let j = 0; j < widths.length; j++) widths[j] = Math.max(widths[j]!, length(r[j] ?? ""))
  return widths
}

/**
 * A left-aligned text table; numbers (also `1.5e-3`, `12.5%`) and the placeholders `-`, `—` and `NA` are
 * right-aligned; widths count visible characters only.
 */
export const renderTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string => {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? formatNumber(c) : c)))
  // A column is numeric when every cell is a number, or its visible text is one (bold numbers, "12.5%"),
  // or a dash for "none" / "not yet".
  const numeric = header.map(
    (_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === "number" || /^(-?[0-9.]+(e[+-]?[0-9]+)?%?|—|-|NA)$/i.test(stripEscapes(String(r[j] ?? ""))))
  )
  const widths = columnWidths(header, cells, visibleLength)
  const line = (r: ReadonlyArray<string>) =>
    r.map((c, j) => pad(c, widths[j]!, numeric[j]!)).join("  ").trimEnd()
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n")
}

export const formatNumber = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3)

const csvCell = (c: string | number): string => {
  const s = String(c)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const renderCsv = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  [header.join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\n")

export const renderJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v instanceof Float64Array ? Array.from(v) : v), 2)

/** "1 row", "3 rows": a count and its noun, plural unless the count is 1. */
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`
