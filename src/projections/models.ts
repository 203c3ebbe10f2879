/**
 * `models`: one row per ModelFitted (src/domain/events/model.ts), keyed by model id. Spec, parameters
 * and diagnostics are stored as jsonb exactly as the event carries them, so a forecast can use the fit
 * from the read model; `fitted_at` is when the event was recorded, `code_version` the writer's
 * (metadata). Table: migration 0022.
 */
import { LEGACY_ACCOUNT } from "../domain/accounts/account"
import { ModelFitted } from "../domain/events/model"
import { toIsoUtc } from "../domain/time"
import type { Projection } from "./projection"
import { noWrites, Write } from "./write"

export const MODELS_TABLE = "models"

export const modelsProjection: Projection = {
  name: "models",
  tables: [MODELS_TABLE],
  eventTypes: [ModelFitted.type],
  handle: (event, position) => {
    if (!ModelFitted.is(event)) return noWrites
    const d = event.data
    return [
      Write.upsert(MODELS_TABLE, {
        model_id: d.modelId,
        account: d.account ?? LEGACY_ACCOUNT,
        kind: d.kind,
        spec: JSON.stringify(d.spec),
        train_start: d.trainStart,
        train_end: d.trainEnd,
        warmup_hours: d.warmupHours,
        train_window: d.trainWindow,
        watermark: d.watermark,
        count_kinds: JSON.stringify(d.countKinds),
        params: JSON.stringify(d.params),
        diagnostics: JSON.stringify(d.diagnostics),
        backtest_id: d.backtestId ?? null,
        fit_seconds: d.fitSeconds,
        fitted_at: toIsoUtc(event.recordedAt.getTime()),
        code_version: event.metadata.codeVersion,
        position
      })
    ]
  }
}
