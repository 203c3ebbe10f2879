// Compiles the CLI to dist/ (run by `npm run build` and by `prepare`, which `npm ci` and `npm pack` run).
// esbuild bundles our code with the pure-JavaScript dependencies (effect, @effect/cli, kysely, ...),
// tree-shaken, so a command loads in a fraction of the time the unbundled module graph takes.
// Packages with native parts, WebAssembly or large optional graphs stay external and are loaded
// lazily by the commands that need them. Code-split chunks sit flat in dist/ beside the entries,
// so a chunk's import.meta.url resolves dist/worker.js for the worker pool.
import { execFileSync } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { build } from "esbuild"

const EXTERNAL = ["@electric-sql/pglite", "kysely-pglite-dialect", "pg", "@eventstore/db-client", "vega", "vega-lite", "playwright-core"]

const sha = (() => {
  try {
    const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()
    return head + (dirty ? "-dirty" : "")
  } catch {
    return ""
  }
})()

rmSync("dist", { recursive: true, force: true })
mkdirSync("dist", { recursive: true })
await build({
  // Worker tasks are entries too: the pool loads them by name (src/adapters/workers/module-url.ts).
  entryPoints: {
    main: "src/programs/main.ts",
    worker: "src/adapters/workers/worker-entry.ts",
    "window-task": "src/programs/train/window-task.ts",
    "fit-task": "src/programs/train/fit-task.ts"
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  chunkNames: "chunk-[hash]",
  sourcemap: "linked",
  logLevel: "warning",
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: false,
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __mtCreateRequire } from 'node:module'; const require = __mtCreateRequire(import.meta.url);" }
})
writeFileSync("dist/build-info.json", JSON.stringify({ sha }) + "\n")
