/** Fits one model on its as-of inputs (worker-thread task; plain data in and out). */
import { performance } from "node:perf_hooks"
import type { FittedModel, ModelInputs, ModelKind } from "../../domain/models/model"
import { modelEntry } from "../../domain/models/registry"

export interface FitTask {
  readonly kind: ModelKind
  readonly spec: Record<string, unknown>
  readonly inputs: ModelInputs
}

export type FitResult =
  | { readonly ok: true; readonly kind: ModelKind; readonly fitted: FittedModel; readonly fitSeconds: number }
  | { readonly ok: false; readonly kind: ModelKind; readonly reason: string }

export const runFitTask = (task: FitTask): FitResult => {
  const t0 = performance.now()
  try {
    const fitted = modelEntry(task.kind).model.fit(task.inputs, task.spec)
    // Round-trip through JSON now, so what the event stores is exactly what a later forecast will read.
    return { ok: true, kind: task.kind, fitted: JSON.parse(JSON.stringify(fitted)) as FittedModel, fitSeconds: (performance.now() - t0) / 1000 }
  } catch (e) {
    return { ok: false, kind: task.kind, reason: e instanceof Error ? e.message : String(e) }
  }
}
