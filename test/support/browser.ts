/**
 * A headless Chromium for browser tests: the system's (Debian's /usr/bin/chromium, or CHROMIUM_PATH)
 * when there is one, else the build that the npm package @sparticuz/chromium ships inside the package
 * itself (unpacked to the temp folder on first use), so `npm ci && npm test` needs no system browser.
 */
import { existsSync } from "node:fs"

const SYSTEM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

/** Flags for a sandbox-less, offline headless run (no background traffic on a closed network). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

export interface BrowserBinary {
  readonly executablePath: string
  readonly source: "system" | "@sparticuz/chromium"
  readonly args: ReadonlyArray<string>
}

export const findChromium = async (): Promise<BrowserBinary> => {
  const configured = process.env.CHROMIUM_PATH
  if (configured !== undefined && configured !== "") {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`)
    return { executablePath: configured, source: "system", args: CHROMIUM_ARGS }
  }
  const system = SYSTEM_CANDIDATES.find((p) => existsSync(p))
  if (system !== undefined) return { executablePath: system, source: "system", args: CHROMIUM_ARGS }
  const { default: packaged } = await import("@sparticuz/chromium")
  const executablePath = await packaged.executablePath()
  // its own flags (single process, no zygote, software GL) plus ours; later flags win in Chromium
  return { executablePath, source: "@sparticuz/chromium", args: [...packaged.args, ...CHROMIUM_ARGS] }
}
