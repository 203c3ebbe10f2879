#!/usr/bin/env node
// The CLI runs the compiled bundle in dist/ (built by `npm run build`, which `npm ci`, `npm install`
// and `npm pack` run through `prepare`). `npm run cli -- <command>` runs the TypeScript source instead.
import { existsSync } from "node:fs"

const compiled = new URL("../dist/main.js", import.meta.url)
if (!existsSync(compiled)) {
  process.stderr.write("error: musktracker is not built (dist/main.js is missing): run `npm run build` in the project folder\n")
  process.exit(1)
}
await import(compiled.href)
