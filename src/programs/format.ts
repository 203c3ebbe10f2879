/** Output helpers shared by commands: aligned text tables, CSV and JSON (bigints as strings). */
import { Options } from "@effect/cli"

export type OutputFormat = "table" | "csv" | "json"

export const formatOption = (formats: ReadonlyArray<OutputFormat> = ["table", "csv", "json"]) =>
  Options.choice("format", formats as [OutputFormat, ...OutputFormat[]]).pipe(
    Options.withDefault(formats[0]!),
    Options.withDescription(`output format: ${formats.join(", ")}`)
  )

/** A left-aligned text table; numbers are right-aligned. */
export const renderTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string => {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? formatNumber(c) : c)))
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === "number"))
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? "").length)))
  const line = (r: ReadonlyArray<string>) =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join("  ").trimEnd()
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
