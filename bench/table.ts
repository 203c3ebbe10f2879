/** Prints every recorded benchmark target as one Markdown table (for the README): `npx tsx bench/table.ts`. */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

interface Recorded {
  name: string
  date: string
  machine: { cpus: number; node: string }
  targets: Array<{ name: string; value: number; unit: string; target: string; met: boolean }>
}

const dir = join(dirname(fileURLToPath(import.meta.url)), "results")
const rows: string[] = ["| bench | measurement | value | target | met |", "|---|---|---|---|---|"]
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  const r = JSON.parse(readFileSync(join(dir, file), "utf8")) as Recorded
  for (const t of r.targets) {
    // Targets, plus peak memory; the JSON files hold every other measurement.
    if (t.target === "report" && !/rss/i.test(t.name)) continue
    rows.push(`| ${r.name} | ${t.name} | ${t.value} ${t.unit} | ${t.target === "report" ? "—" : `${t.target} ${t.unit}`} | ${t.target === "report" ? "" : t.met ? "yes" : "**no**"} |`)
  }
}
console.log(rows.join("\n"))
