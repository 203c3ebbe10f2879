/**
 * Runs a child process without blocking the test worker's event loop (spawnSync would: a long child
 * then starves vitest's worker RPC and the run reports timeouts), resolving with its exit and output.
 */
import { spawn, type SpawnOptions } from "node:child_process"

export interface ProcessResult {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export const runProcess = (command: string, args: ReadonlyArray<string>, options: SpawnOptions & { readonly timeout?: number } = {}): Promise<ProcessResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { ...options, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()))
    const timer = options.timeout === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), options.timeout)
    child.on("error", reject)
    child.on("close", (status, signal) => {
      if (timer !== undefined) clearTimeout(timer)
      resolve({ status, signal, stdout, stderr })
    })
  })
