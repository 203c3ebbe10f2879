/**
 * Every difference between a recorded payload and its recomputation, as `path: recorded → reproduced`
 * lines. Numbers are compared exactly (===): a reproduction is bit-for-bit or it is different.
 */

export interface Difference {
  readonly path: string
  readonly recorded: unknown
  readonly reproduced: unknown
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

export const deepDiff = (recorded: unknown, reproduced: unknown, path = ""): Difference[] => {
  if (Array.isArray(recorded) && Array.isArray(reproduced)) {
    const out: Difference[] = []
    if (recorded.length !== reproduced.length) out.push({ path: `${path}.length`, recorded: recorded.length, reproduced: reproduced.length })
    const n = Math.min(recorded.length, reproduced.length)
    for (let i = 0; i < n; i++) out.push(...deepDiff(recorded[i], reproduced[i], `${path}[${i}]`))
    return out
  }
  if (isObject(recorded) && isObject(reproduced)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(reproduced)])].sort()
    return keys.flatMap((k) => deepDiff(recorded[k], reproduced[k], path === "" ? k : `${path}.${k}`))
  }
  if (Object.is(recorded, reproduced) || (recorded === 0 && reproduced === 0)) return []
  return [{ path: path === "" ? "(value)" : path, recorded, reproduced }]
}

const show = (v: unknown): string => (v === undefined ? "(absent)" : typeof v === "string" ? v : JSON.stringify(v))

export const formatDifference = (d: Difference): string => `${d.path}: recorded ${show(d.recorded)}, reproduced ${show(d.reproduced)}`
