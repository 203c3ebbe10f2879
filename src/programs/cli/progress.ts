/**
 * Progress for long loops: a bar on a terminal (cli-progress), plain log lines otherwise (CI, pipes),
 * at most one line per 10% so logs stay readable.
 */
import { SingleBar, Presets } from "cli-progress"
import { Effect } from "effect"

export interface Progress {
  update(done: number): void
  stop(): void
}

/**
 * A reporter for `total` steps. Its methods are synchronous (a worker pool's callback calls them); the
 * plain lines go to the current Effect Console's error stream, so a caller or a test can swap it.
 */
export const progressReporter = (label: string, total: number): Effect.Effect<Progress> =>
  Effect.consoleWith((console) =>
    Effect.sync((): Progress => {
      if (process.stderr.isTTY && total > 0) {
        const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total}, ETA {eta_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic)
        bar.start(total, 0)
        return { update: (d) => bar.update(d), stop: () => bar.stop() }
      }
      let lastDecile = -1
      return {
        update: (d) => {
          const decile = total === 0 ? 10 : Math.floor((10 * d) / total)
          if (decile > lastDecile) {
            lastDecile = decile
            console.unsafe.error(`${label}: ${d}/${total}`)
          }
        },
        stop: () => undefined
      }
    })
  )
