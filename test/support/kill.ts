/** Crash tests: run a process and SIGKILL it the moment its output (stdout and stderr) shows a chosen point. */
import { spawn, type SpawnOptions } from "node:child_process"

export const runAndKillWhen = (
  args: ReadonlyArray<string>,
  options: Pick<SpawnOptions, "cwd" | "env">,
  killWhen: (output: string) => boolean,
  timeoutMs = 120_000
): Promise<{ readonly output: string; readonly signal: NodeJS.Signals | null }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { ...options, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    const watch = (chunk: Buffer) => {
      output += chunk.toString()
      if (killWhen(output)) child.kill("SIGKILL")
    }
    child.stdout!.on("data", watch)
    child.stderr!.on("data", watch)
    child.on("error", reject)
    child.on("exit", (_code, signal) => {
      clearTimeout(timer)
      resolve({ output, signal })
    })
  })
