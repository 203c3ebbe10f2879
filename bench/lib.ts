/** Benchmark plumbing: every bench/NAME.ts default-exports a function returning a BenchResult. */
import { cpus, totalmem, platform } from "node:os"
import { performance } from "node:perf_hooks"

export interface BenchTarget {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** Human-readable target, e.g. "<= 5" (in `unit`). */
  readonly target: string
  readonly met: boolean
}

export interface BenchResult {
  readonly targets: ReadonlyArray<BenchTarget>
  readonly notes?: ReadonlyArray<string>
  readonly details?: Record<string, unknown>
}

export const machine = () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  node: process.version,
  platform: platform(),
  totalMemGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10
})

/** A target that must stay at or below `limit`. */
export const atMost = (name: string, value: number, unit: string, limit: number): BenchTarget => ({
  name,
  value: round(value),
  unit,
  target: `<= ${limit}`,
  met: value <= limit
})

/** A target that must reach at least `limit`. */
export const atLeast = (name: string, value: number, unit: string, limit: number): BenchTarget => ({
  name,
  value: round(value),
  unit,
  target: `>= ${limit}`,
  met: value >= limit
})

/** A reported measurement with no target (met is true by definition). */
export const report = (name: string, value: number, unit: string): BenchTarget => ({
  name,
  value: round(value),
  unit,
  target: "report",
  met: true
})

const round = (v: number): number => (Math.abs(v) >= 100 ? Math.round(v * 10) / 10 : Math.round(v * 1000) / 1000)

/** Wall milliseconds of `fn` (sync or async). */
export const timeMs = async <A>(fn: () => A | Promise<A>): Promise<{ ms: number; value: A }> => {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

/** Median of `runs` timings after `warmup` untimed runs. */
export const medianMs = async (fn: () => unknown, runs = 7, warmup = 2): Promise<number> => {
  for (let i = 0; i < warmup; i++) await fn()
  const ts: number[] = []
  for (let i = 0; i < runs; i++) ts.push((await timeMs(fn)).ms)
  ts.sort((a, b) => a - b)
  return ts[Math.floor(ts.length / 2)]!
}

/** Peak resident set size of this process so far, in MiB. */
export const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024
