/**
 * `musktracker train`: backtest the chosen models by replaying history, record the results as events,
 * then fit each model on the latest window (`ModelFitted`) and print a comparison.
 */
import { resolveAccount } from "../cli/account"
import type { CliArgs } from "../cli/lazy"
import { DEFAULT_BURN_IN_WEEKS, type trainOptions } from "./command"
import { Console, Effect, Option } from "effect"
import { devOrigins, latestFitOrigin, latestOrigins, parseOriginRange } from "../../domain/backtest/origins"
import { parseTrainWindow } from "../../domain/backtest/train-window"
import { MODEL_KINDS, type ModelKind } from "../../domain/models/model"
import { HOUR_MS, hourFloor } from "../../domain/time"
import { catchUpProjections } from "../catch-up"
import { parseKinds } from "../counts/program"
import { renderJson, useColour } from "../cli/format"
import { loadKnowledge, type CountKind } from "../knowledge"
import { StoreLayer } from "../layers"
import { UsageError } from "../cli/usage-error"
import { runBacktest } from "./backtest-run"
import { fitLatest } from "./fit-latest"
import { calibrationLines, comparisonTable, nowcastTable, trainJson } from "./render"

export { DEFAULT_BURN_IN_WEEKS }


export interface TrainOptions {
  /** The account whose tweets are replayed (normalised handle). */
  readonly account: string
  readonly models: ReadonlyArray<ModelKind>
  readonly backtestWindows: number
  readonly trainWindow: string
  readonly protocol: "dev" | undefined
  readonly origins: string | undefined
  /** Default DEFAULT_BURN_IN_WEEKS. */
  readonly burnInWeeks?: number
  readonly paths: number
  readonly seed: number
  readonly workers: number
  readonly kinds: ReadonlyArray<CountKind>
}

/** The whole `train` job as one Effect: validate, replay, backtest, fit on the latest window. */
export const trainProgram = (o: TrainOptions) =>
  Effect.gen(function* () {
    const trainWindow = parseTrainWindow(o.trainWindow)
    if (typeof trainWindow === "string") return yield* new UsageError({ message: `--train-window ${trainWindow}` })
    if (o.paths < 100) return yield* new UsageError({ message: `--paths must be at least 100 (the protocol uses >= 2000), got ${o.paths}` })
    if (o.backtestWindows < 1) return yield* new UsageError({ message: `--backtest-windows must be at least 1, got ${o.backtestWindows}` })
    if (o.workers < 1) return yield* new UsageError({ message: `--workers must be at least 1, got ${o.workers}` })
    const burnInWeeks = o.burnInWeeks ?? DEFAULT_BURN_IN_WEEKS
    if (!(burnInWeeks >= 0 && burnInWeeks <= 104)) return yield* new UsageError({ message: `--burn-in-weeks must be between 0 and 104, got ${burnInWeeks}` })
    if (o.protocol !== undefined && o.origins !== undefined) return yield* new UsageError({ message: "choose one of --protocol and --origins" })

    yield* catchUpProjections
    const loaded = yield* loadKnowledge({ kinds: o.kinds, account: o.account })
    if (loaded.lastTweetAt === undefined) return yield* Effect.fail(new Error(`the store holds no tweets of @${o.account}: run \`musktracker import FILE\` or \`musktracker ingest\` first`))
    const dataEnd = hourFloor(loaded.lastTweetAt) + HOUR_MS

    let origins: number[]
    let protocol = "custom"
    if (o.protocol !== undefined) {
      origins = devOrigins()
      protocol = "dev"
    } else if (o.origins !== undefined) {
      const parsed = parseOriginRange(o.origins)
      if (typeof parsed === "string") return yield* new UsageError({ message: `--origins ${parsed}` })
      origins = parsed
    } else {
      origins = latestOrigins(dataEnd, o.backtestWindows)
    }

    const outcome = yield* runBacktest({
      account: o.account,
      knowledge: loaded.knowledge,
      watermark: loaded.watermark,
      models: o.models,
      origins,
      burnInWeeks,
      trainWindow,
      protocol,
      dataEnd,
      paths: o.paths,
      seed: o.seed,
      workers: o.workers
    })
    const fitted = yield* fitLatest({
      account: o.account,
      knowledge: loaded.knowledge,
      watermark: loaded.watermark,
      models: o.models,
      trainWindow,
      origin: latestFitOrigin(loaded.lastTweetAt, Date.now()),
      countKinds: o.kinds,
      workers: o.workers,
      backtestId: outcome.backtestId
    })
    yield* catchUpProjections
    return { outcome, fitted, origins, protocol }
  })

export const runTrain = (o: CliArgs<typeof trainOptions>) =>
  Effect.gen(function* () {
    const account = yield* resolveAccount(o.account)
    const kinds = (yield* parseKinds(o.count)) as ReadonlyArray<CountKind>
    const { outcome, fitted, origins, protocol } = yield* trainProgram({
      account,
      models: o.model === "all" ? MODEL_KINDS : [o.model],
      backtestWindows: o.backtestWindows,
      trainWindow: o.trainWindow,
      protocol: Option.getOrUndefined(o.protocol),
      origins: Option.getOrUndefined(o.origins),
      burnInWeeks: o.burnInWeeks,
      paths: o.paths,
      seed: o.seed,
      workers: o.workers,
      kinds
    })
    if (o.format === "json") {
      yield* Console.log(renderJson(trainJson(outcome, fitted)))
      return
    }
    yield* Console.log(`backtest ${outcome.backtestId}: ${origins.length} origins (${protocol}), train window ${o.trainWindow}, ${o.paths} paths, seed ${o.seed}`)
    yield* Console.log("")
    yield* Console.log(comparisonTable(outcome.summaries, useColour()))
    yield* Console.log("")
    const nowcasts = nowcastTable(outcome.summaries, useColour())
    if (nowcasts !== undefined) yield* Console.log(`nowcasts of the week total, issued 1, 3 and 5 days into the week:\n${nowcasts}\n`)
    for (const line of calibrationLines(outcome)) yield* Console.log(line)
    yield* Console.log("")
    for (const f of fitted) yield* Console.log(`fitted ${f.kind.padEnd(17)} model ${f.modelId}  on ${f.trainStart} .. ${f.trainEnd}`)
  }).pipe(Effect.provide(StoreLayer))
