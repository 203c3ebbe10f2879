import { Rng } from "../../../src/domain/random"

/** A deterministic CPU task: sum of `n` seeded uniforms. */
export const sumUniforms = (a: { seed: number; n: number }): number => {
  const r = Rng.seeded(a.seed)
  let s = 0
  for (let i = 0; i < a.n; i++) s += r.uniform()
  return s
}

export const boom = (_: unknown): never => {
  throw new Error("task exploded")
}
