/** Worker side of the pool: imports the task's module and runs the named function. */
import { parentPort } from "node:worker_threads"

const cache = new Map<string, Record<string, (a: unknown) => unknown>>()

parentPort!.on("message", async (m: { index: number; module: string; fn: string; arg: unknown }) => {
  try {
    let mod = cache.get(m.module)
    if (!mod) {
      mod = (await import(m.module)) as Record<string, (a: unknown) => unknown>
      cache.set(m.module, mod)
    }
    const f = mod[m.fn]
    if (typeof f !== "function") throw new Error(`${m.module} has no function ${m.fn}`)
    const value = await f(m.arg)
    parentPort!.postMessage({ index: m.index, ok: true, value })
  } catch (e) {
    parentPort!.postMessage({ index: m.index, ok: false, error: e instanceof Error ? e.message : String(e) })
  }
})
