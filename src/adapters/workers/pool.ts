/**
 * A small worker-thread pool for CPU-bound pure functions (backtest windows, forecasts).
 * A task is (module URL, exported function name, structured-clonable argument); results come back
 * in task order, so the outcome never depends on the number of workers or on scheduling.
 * From source, workers load TypeScript through tsx's loader (registered by worker-bootstrap.mjs); the
 * compiled CLI starts dist/worker.js.
 */
import { Worker } from "node:worker_threads"

export interface PoolTask<T> {
  readonly module: string
  readonly fn: string
  readonly arg: T
}

interface Reply {
  readonly index: number
  readonly ok: boolean
  readonly value?: unknown
  readonly error?: string
}

const entry = import.meta.url.endsWith(".ts") ? new URL("./worker-bootstrap.mjs", import.meta.url) : new URL("./worker.js", import.meta.url)

/**
 * Runs tasks on `workers` threads (inline when workers <= 1). Rejects with the first task error.
 * `onDone` is told how many tasks have finished after each one (progress; results keep task order).
 */
export const runPool = async <T, R>(tasks: ReadonlyArray<PoolTask<T>>, workers: number, onDone?: (done: number) => void): Promise<R[]> => {
  if (tasks.length === 0) return []
  if (workers <= 1) {
    const out: R[] = []
    for (const t of tasks) {
      const mod = (await import(t.module)) as Record<string, (a: T) => R | Promise<R>>
      const f = mod[t.fn]
      if (typeof f !== "function") throw new Error(`${t.module} has no function ${t.fn}`)
      out.push(await f(t.arg))
      onDone?.(out.length)
    }
    return out
  }
  const n = Math.min(workers, tasks.length)
  const results = new Array<R>(tasks.length)
  let next = 0
  let done = 0
  const threads: Worker[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false
      const feed = (w: Worker) => {
        if (next >= tasks.length) return
        const index = next++
        const t = tasks[index]!
        w.postMessage({ index, module: t.module, fn: t.fn, arg: t.arg })
      }
      for (let i = 0; i < n; i++) {
        const w = new Worker(entry)
        threads.push(w)
        w.on("message", (m: Reply) => {
          if (failed) return
          if (!m.ok) {
            failed = true
            reject(new Error(m.error ?? "worker task failed"))
            return
          }
          results[m.index] = m.value as R
          done++
          onDone?.(done)
          if (done === tasks.length) resolve()
          else feed(w)
        })
        w.on("error", (e) => {
          if (!failed) {
            failed = true
            reject(e)
          }
        })
        feed(w)
      }
    })
  } finally {
    await Promise.all(threads.map((w) => w.terminate()))
  }
  return results
}
