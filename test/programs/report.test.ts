/**
 * `musktracker report` end to end, looked at in a real browser.
 *
 * A small embedded store in a temp data directory: a slice of the shared CSV imported through the
 * `import` path (readArchive + importRows), regime detection, then the real CLI (`bin/musktracker.js`)
 * runs `train --model seasonal_naive --backtest-windows 2`, `forecast --horizon 7d --brackets ...` and
 * `report --out`. The HTML file is opened in headless Chromium (the system's when installed, else the
 * build shipped by the npm package @sparticuz/chromium: test/support/browser.ts), driven by
 * playwright-core: every chart must be an <svg> of non-zero size whose data marks match the store (one
 * rule per regime shift, the fan's band and lines, one bar per bracket labelled with the probabilities
 * the forecast command printed, one bar per metric, ten PIT bins, three coverage points), the console
 * must stay free of errors and warnings, and the page must request nothing but itself. A full-page
 * screenshot goes to test-output/report.png.
 *
 * No usable Chromium is a failure with a clear message, never a skip.
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import { execFile } from "node:child_process"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { promisify } from "node:util"
import { chromium, type Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readArchive } from "../../src/adapters/archive/read-archive"
import { importRows } from "../../src/programs/import/program"
import { StoreLayer } from "../../src/programs/layers"
import { detectRegimes } from "../../src/programs/regimes/program"
import { findChromium, type BrowserBinary } from "../support/browser"
import { withTempDataDir } from "../support/pglite"
import { SHARED_CSV } from "../support/shared-data"
import { testEnvironment } from "../support/cli"

const CSV = SHARED_CSV
const SCREENSHOT = join(process.cwd(), "test-output/report.png")
// March to late May 2025: the April 2025 fall in posting (a regime shift both detectors find) and
// enough weeks for an 8-week training window at the last two Monday origins.
const SLICE = { from: Date.parse("2025-03-01T00:00:00Z"), to: Date.parse("2025-05-27T00:00:00Z") }

const run = promisify(execFile)

/** The little of the DOM the in-page check uses (the project compiles without the DOM lib). */
interface PageElement {
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): ArrayLike<PageElement>
  getBoundingClientRect(): { readonly width: number; readonly height: number }
  getAttribute(name: string): string | null
}

const BRACKETS = "0-249,250-299,300-349,350-399,400+"

interface ForecastJson {
  readonly forecastId: string
  readonly result: {
    readonly hourly: { readonly start: string; readonly mean: number[] }
    readonly brackets: ReadonlyArray<{ readonly label: string; readonly probability: number }>
  }
}

describe("musktracker report in headless Chromium", () => {
  const dir = withTempDataDir("mt-report-")
  const env = { ...process.env, MUSKTRACKER_DATA_DIR: join(dir, "store"), LOG_LEVEL: "warn" } as NodeJS.ProcessEnv
  delete env.DATABASE_URL
  delete env.EVENTSTORE_URL
  const out = join(dir, "report.html")
  const cli = (...args: string[]) => run(process.execPath, ["bin/musktracker.js", ...args], { env, cwd: process.cwd(), maxBuffer: 16 << 20 })

  let shifts = 0
  let forecast: ForecastJson | undefined
  let reportLine = ""
  let browser: Browser | undefined
  let chromiumBinary: BrowserBinary | undefined

  beforeAll(async () => {
    // fail first, before a minute of set-up, when the browser is missing
    chromiumBinary = await findChromium()

    const rows = (await Effect.runPromise(readArchive(CSV))).filter((r) => r.createdAt >= SLICE.from && r.createdAt < SLICE.to)
    expect(rows.length).toBeGreaterThan(4000)
    // The store this test's configuration names, given as configuration (process.env untouched).
    const store = ManagedRuntime.make(StoreLayer.pipe(Layer.provide(testEnvironment({ MUSKTRACKER_DATA_DIR: env.MUSKTRACKER_DATA_DIR }).layer)))
    try {
      await store.runPromise(importRows(rows, "elonmusk", "shared csv slice"))
      const detected = await store.runPromise(detectRegimes({ account: "elonmusk", detector: "both" }))
      shifts = detected.detections.length
    } finally {
      await store.dispose() // releases the data directory for the CLI processes
    }
    expect(shifts).toBeGreaterThan(0)

    await cli("train", "--model", "seasonal_naive", "--backtest-windows", "2", "--paths", "500")
    const issued = await cli("forecast", "--model", "seasonal_naive", "--horizon", "7d", "--paths", "1000", "--brackets", BRACKETS, "--format", "json")
    forecast = JSON.parse(issued.stdout) as ForecastJson
    const report = await cli("report", "--out", out)
    reportLine = report.stdout.trim()
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
  })

  it("writes one self-contained file: inline SVG and CSS, no script, nothing fetched", () => {
    expect(reportLine).toContain(`wrote ${out}`)
    expect(reportLine).toContain("6 charts (daily-counts, forecast-fan, forecast-brackets, backtest-metrics, calibration-pit, calibration-coverage)")
    const html = readFileSync(out, "utf8")
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face/i)
    // the only http(s) URLs are XML namespace names inside the SVGs, never something to load
    const urls = [...html.matchAll(/https?:\/\/[^\s"')<]+/g)].map((m) => m[0])
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]))
    expect(html).not.toMatch(/(src|href)="(?!#)/)
  })

  it("every chart renders in Chromium with its marks, no console error, and a screenshot is saved", async () => {
    browser = await chromium.launch({ executablePath: chromiumBinary!.executablePath, args: [...chromiumBinary!.args], headless: true })
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    const problems: string[] = []
    const requests: string[] = []
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`)
    })
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`))
    page.on("request", (r) => requests.push(r.url()))
    const url = pathToFileURL(out).href
    await page.goto(url, { waitUntil: "load" })

    const charts = await page.$$eval("figure[data-chart]", (figures) =>
      (figures as unknown as PageElement[]).map((f) => {
        const svg = f.querySelector(":scope > svg")
        const box = svg?.getBoundingClientRect()
        const marks = (selector: string) =>
          Array.from(f.querySelectorAll(selector)).filter((el) => {
            const r = el.getBoundingClientRect()
            return r.width > 0 || r.height > 0
          }).length
        return {
          name: f.getAttribute("data-chart"),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: marks("g.role-mark > *"),
          lines: marks("g.mark-line.role-mark > path"),
          rules: marks("g.mark-rule.role-mark > line"),
          rects: marks("g.mark-rect.role-mark > path"),
          symbols: marks("g.mark-symbol.role-mark > path"),
          areas: marks("g.mark-area.role-mark > path"),
          texts: Array.from(f.querySelectorAll("g.mark-text.role-mark > text")).map((t) => (t as unknown as { textContent: string }).textContent)
        }
      })
    )
    expect(charts.map((c) => c.name)).toEqual([
      "daily-counts",
      "forecast-fan",
      "forecast-brackets",
      "backtest-metrics",
      "calibration-pit",
      "calibration-coverage"
    ])
    for (const c of charts) {
      expect(c.width, c.name!).toBeGreaterThan(200)
      expect(c.height, c.name!).toBeGreaterThan(50)
      expect(c.marks, c.name!).toBeGreaterThan(0)
    }
    const chart = (name: string) => charts.find((c) => c.name === name)!
    expect(chart("daily-counts").lines).toBe(2) // daily counts and their 7-day mean
    expect(chart("daily-counts").rules).toBe(shifts) // one dashed rule per detected regime shift
    const fan = chart("forecast-fan")
    expect(fan.areas).toBe(1) // the 10-90% band
    expect(fan.lines).toBe(3) // median, mean, observed
    // the observed hours before the fan: the forecast starts right after the data ends
    expect(fan.symbols).toBe(72)
    expect(forecast!.result.hourly.mean).toHaveLength(168)
    const brackets = chart("forecast-brackets")
    expect(brackets.rects).toBe(BRACKETS.split(",").length)
    expect(brackets.texts).toEqual(forecast!.result.brackets.map((b) => `${(b.probability * 100).toFixed(1)}%`))
    // one model and its recalibrated variant (a single model has no ensemble)
    expect(chart("backtest-metrics").rects).toBe(8) // two forecasters x four metrics
    expect(chart("calibration-pit").rects).toBe(20) // ten PIT bins of each
    expect(chart("calibration-coverage").symbols).toBe(6) // 50/80/95% of each

    expect(await page.locator("#forecast").innerText()).toContain(`Forecast ${forecast!.forecastId} by seasonal_naive`)
    expect(await page.locator("#fits h3").allInnerTexts()).toEqual(["seasonal_naive"])
    expect(await page.locator("#fits td").allInnerTexts()).toContain("φ (week-level dispersion)")
    expect(await page.locator("#counts table tbody tr").count()).toBe(shifts)

    mkdirSync(join(process.cwd(), "test-output"), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    expect(existsSync(SCREENSHOT)).toBe(true)

    expect(problems).toEqual([])
    expect(requests).toEqual([url])
  }, 120_000)
})
