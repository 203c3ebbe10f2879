import { describe, expect, it } from "vitest"
import { runPool } from "../../../src/adapters/workers/pool"
import { sumUniforms } from "./fixture"

const module = new URL("./fixture.ts", import.meta.url).href

describe("worker pool", () => {
  const tasks = Array.from({ length: 7 }, (_, i) => ({ module, fn: "sumUniforms", arg: { seed: i + 1, n: 10_000 } }))

  it("returns results in task order, identical for any number of workers", async () => {
    const expected = tasks.map((t) => sumUniforms(t.arg))
    const inline = await runPool<{ seed: number; n: number }, number>(tasks, 1)
    const two = await runPool<{ seed: number; n: number }, number>(tasks, 2)
    const three = await runPool<{ seed: number; n: number }, number>(tasks, 3)
    expect(inline).toEqual(expected)
    expect(two).toEqual(expected)
    expect(three).toEqual(expected)
  })

  it("reports each finished task for progress, inline and on threads", async () => {
    for (const workers of [1, 2]) {
      const seen: number[] = []
      await runPool<{ seed: number; n: number }, number>(tasks, workers, (done) => seen.push(done))
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7])
    }
  })

  it("rejects with the task's error", async () => {
    await expect(runPool<unknown, number>([{ module, fn: "boom", arg: 0 }, ...tasks], 2)).rejects.toThrow("task exploded")
  })
})
