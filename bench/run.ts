/** `npm run bench -- NAME [NAME...]` runs bench/NAME.ts and writes bench/results/NAME.json. */
import { mkdirSync, writeFileSync, readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { machine, type BenchResult } from "./lib"

const here = dirname(fileURLToPath(import.meta.url))
const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !["lib.ts", "run.ts", "data.ts", "table.ts"].includes(f))
  .map((f) => f.slice(0, -3))

const names = process.argv.slice(2)
if (names.length === 0) {
  console.error(`usage: npm run bench -- NAME   (available: ${available.join(", ")})`)
  process.exit(2)
}
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}" (available: ${available.join(", ")})`)
    process.exit(2)
  }
}
mkdirSync(join(here, "results"), { recursive: true })
let allMet = true
for (const name of names) {
  const mod = (await import(`./${name}.ts`)) as { default: () => Promise<BenchResult> }
  const result = await mod.default()
  const out = { name, date: new Date().toISOString(), machine: machine(), ...result }
  writeFileSync(join(here, "results", `${name}.json`), JSON.stringify(out, null, 2) + "\n")
  for (const t of result.targets) {
    allMet &&= t.met
    console.log(`${name}: ${t.name} = ${t.value} ${t.unit} (target ${t.target}) ${t.met ? "met" : "NOT MET"}`)
  }
  console.log(`wrote bench/results/${name}.json`)
}
// A missed target is a recorded result, not a crash: the JSON says met=false.
void allMet
