/**
 * The worker-thread task of a backtest: evaluates one window (src/domain/backtest/evaluate-window.ts)
 * and measures its wall time. Its argument and result are plain structured-clonable data; a fit that
 * fails comes back as a reason instead of an exception, so one bad origin does not end the run.
 */
import { performance } from "node:perf_hooks"
import { evaluateWindow, type WindowEvaluation, type WindowTask } from "../../domain/backtest/evaluate-window"
import type { ModelKind } from "../../domain/models/model"

export type { WindowTask } from "../../domain/backtest/evaluate-window"

export type WindowResult =
  | (Omit<WindowEvaluation, "originSeconds"> & { readonly ok: true; readonly fitSeconds: number })
  | { readonly ok: false; readonly kind: ModelKind; readonly origin: number; readonly reason: string; readonly fitSeconds: number }

export const runWindowTask = (task: WindowTask): WindowResult => {
  const t0 = performance.now()
  try {
    const { originSeconds, ...evaluation } = evaluateWindow(task, () => performance.now())
    // fit_s is the protocol's "fit and forecast one origin": the fit and the week-ahead forecast at T.
    return { ok: true, ...evaluation, fitSeconds: originSeconds }
  } catch (e) {
    return { ok: false, kind: task.kind, origin: task.inputs.origin, reason: e instanceof Error ? e.message : String(e), fitSeconds: (performance.now() - t0) / 1000 }
  }
}
